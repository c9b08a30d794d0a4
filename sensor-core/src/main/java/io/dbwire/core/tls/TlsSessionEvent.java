package io.dbwire.core.tls;

/** Per-session TLS outcomes, counted by {@link TlsContext} (Sensor stats {@code tls.*}). */
public enum TlsSessionEvent {
    /** A TLS session ended and its summary was delivered. */
    SESSIONS,
    /** At least one record of the session was decrypted. */
    SESSIONS_DECRYPTED,
    /** A key store was configured but the session's keys never came (or did not work): metadata only. */
    SESSIONS_WITHOUT_KEYS,
    /** No key store configured: metadata only, by configuration. */
    SESSIONS_METADATA_ONLY
}
