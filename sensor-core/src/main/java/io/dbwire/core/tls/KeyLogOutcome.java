package io.dbwire.core.tls;

/** What happened to one key log line or lookup; counted by {@link KeyLogStore}. */
public enum KeyLogOutcome {
    ADDED,
    /** Blank line or '#' comment. */
    IGNORED,
    /** A label the sensor does not use (EXPORTER_SECRET, CLIENT_EARLY_TRAFFIC_SECRET, ...). */
    UNUSED_LABEL,
    /** Wrong field count, non-hex, or a client random that is not 32 bytes. */
    MALFORMED,
    /** The oldest session was dropped to stay within the bound. */
    EVICTED,
    /** An entry older than the time to live was dropped. */
    EXPIRED,
    LOOKUP_HIT,
    LOOKUP_MISS
}
