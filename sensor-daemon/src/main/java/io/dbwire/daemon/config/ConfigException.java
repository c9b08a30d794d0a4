package io.dbwire.daemon.config;

/** A configuration that cannot be used; the message names the key, e.g. {@code tcp.max_flows: -3 (expected: ...)}. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
