package io.dbwire.core.protocol.session;

/**
 * Events the shared session code counts for every protocol. Each protocol's event enum carries a constant of
 * the same name for each of these (checked when a {@link SessionCounters} is built), so its reports and metrics
 * stay the protocol's own: {@code postgresql.gaps}, {@code mysql.gaps}.
 */
public enum CommonEvent {
    RECORDS_EMITTED,
    INCOMPLETE_STATEMENTS,
    /** Statements a hole in the mirrored stream cut short: the records that carry {@code gaps}. */
    GAP_INCOMPLETE_STATEMENTS,
    /**
     * Records whose request reached the sensor only after its answer began (its packet was reordered on the
     * mirror's way): the request's send time is unknown, so {@code ts} is the answer's first packet and the
     * timings are null.
     */
    REQUEST_AFTER_ANSWER,
    NORMALIZER_FAILURE,
    STATEMENT_TRUNCATED,
    GAPS,
    TLS_SESSIONS,
    INFLIGHT_OVERFLOW,
    /** Statements whose comments carried tags or a trace context (docs/records.md, attribution). */
    ATTRIBUTED_STATEMENTS,
    /** Statements whose comments hit a bound (tags, comments, comment length): the rest was not read. */
    ATTRIBUTION_CUT,
    SENSITIVE_ROWS_SCANNED,
    SENSITIVE_ROWS_CUT,
    SENSITIVE_ROWS_SKIPPED,
    SENSITIVE_VALUES_FOUND,
    /** A bug in protocol code, caught by the session's fence: the connection resynchronised. */
    INTERNAL_ERROR_RESYNCED,
    /** A bug the connection did not survive (repeated, or its flush failed too): it is no longer read. */
    INTERNAL_ERROR_CLOSED
}
