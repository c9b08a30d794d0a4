package io.dbwire.daemon.lifecycle;

/** The daemon could not start (port in use, unwritable file); the message says which setting. */
public final class DaemonStartException extends Exception {
    public DaemonStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
