package io.dbwire.core.tls;

import static io.dbwire.core.util.CountedEvent.Kind.VOLUME;

import io.dbwire.core.util.CountedEvent;

/** What happened to one key log line or lookup; counted by {@link KeyLogStore}. */
public enum KeyLogOutcome implements CountedEvent {
    ADDED(VOLUME),
    /** Blank line or '#' comment. */
    IGNORED(VOLUME),
    /** A label the sensor does not use (EXPORTER_SECRET, CLIENT_EARLY_TRAFFIC_SECRET, ...). */
    UNUSED_LABEL(VOLUME),
    /** Wrong field count, non-hex, or a client random that is not 32 bytes. */
    MALFORMED,
    /** The oldest session was dropped to stay within the bound. */
    EVICTED,
    /** An entry older than the time to live was dropped. */
    EXPIRED(VOLUME),
    LOOKUP_HIT(VOLUME),
    LOOKUP_MISS(VOLUME);

    private final Kind kind;

    KeyLogOutcome() {
        this(Kind.PROBLEM);
    }

    KeyLogOutcome(Kind kind) {
        this.kind = kind;
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public String layer() {
        return "tls.keylog";
    }
}
