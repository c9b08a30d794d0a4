package io.dbwire.core.tls;

import java.util.Arrays;

/**
 * The secrets of one TLS session from the NSS key log, keyed by its client random. Immutable: a new line for
 * the same session yields a new instance. Secrets never leave this object in text: {@link #toString()} says
 * only which ones are present.
 */
public final class SessionSecrets {
    /** Labels of the NSS key log format (https://firefox-source-docs.mozilla.org/security/nss/legacy/key_log_format/). */
    public enum Label {
        CLIENT_RANDOM,
        CLIENT_HANDSHAKE_TRAFFIC_SECRET,
        SERVER_HANDSHAKE_TRAFFIC_SECRET,
        CLIENT_TRAFFIC_SECRET_0,
        SERVER_TRAFFIC_SECRET_0
    }

    private final byte[][] secrets;
    private final long addedMicros;

    SessionSecrets(byte[][] secrets, long addedMicros) {
        this.secrets = secrets;
        this.addedMicros = addedMicros;
    }

    static SessionSecrets empty(long nowMicros) {
        return new SessionSecrets(new byte[Label.values().length][], nowMicros);
    }

    SessionSecrets with(Label label, byte[] secret) {
        byte[][] copy = secrets.clone();
        copy[label.ordinal()] = secret.clone();
        return new SessionSecrets(copy, addedMicros);
    }

    /** The secret, or null if its line has not been seen. Callers must not modify or print it. */
    byte[] get(Label label) {
        return secrets[label.ordinal()];
    }

    public boolean has(Label label) {
        return secrets[label.ordinal()] != null;
    }

    long addedMicros() {
        return addedMicros;
    }

    /** TLS 1.2 master secret: 48 bytes (RFC 5246 8.1). */
    byte[] masterSecret() {
        return get(Label.CLIENT_RANDOM);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SessionSecrets[");
        for (Label l : Label.values()) {
            if (has(l)) {
                sb.append(l).append("=<redacted> ");
            }
        }
        return sb.append(']').toString();
    }

    /** Overwrites the secret bytes; used when an entry expires or is evicted. */
    void wipe() {
        for (byte[] s : secrets) {
            if (s != null) {
                Arrays.fill(s, (byte) 0);
            }
        }
    }
}
