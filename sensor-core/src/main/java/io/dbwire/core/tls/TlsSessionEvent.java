package io.dbwire.core.tls;

import static io.dbwire.core.util.CountedEvent.Kind.VOLUME;

import io.dbwire.core.util.CountedEvent;

/** Per-session TLS outcomes, counted by {@link TlsContext} (Sensor stats {@code tls.*}). */
public enum TlsSessionEvent implements CountedEvent {
    /** A TLS session ended and its summary was delivered. */
    SESSIONS(VOLUME),
    /** At least one record of the session was decrypted. */
    SESSIONS_DECRYPTED(VOLUME),
    /** A key store was configured but the session's keys never came (or did not work): metadata only. */
    SESSIONS_WITHOUT_KEYS(VOLUME),
    /** No key store configured: metadata only, by configuration. */
    SESSIONS_METADATA_ONLY(VOLUME);

    private final Kind kind;

    TlsSessionEvent() {
        this(Kind.PROBLEM);
    }

    TlsSessionEvent(Kind kind) {
        this.kind = kind;
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public String layer() {
        return "tls";
    }
}
