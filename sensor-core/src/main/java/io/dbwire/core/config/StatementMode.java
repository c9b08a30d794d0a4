package io.dbwire.core.config;

/** How statement text appears in records. */
public enum StatementMode {
    /** Literals replaced by {@code ?} (the default: no data values leave the sensor). */
    NORMALIZED,
    /** The text as the client sent it. */
    FULL,
    /** No text; fingerprint and operation only. */
    OFF
}
