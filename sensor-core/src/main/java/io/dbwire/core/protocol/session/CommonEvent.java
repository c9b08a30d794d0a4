package io.dbwire.core.protocol.session;

/**
 * Events the shared session code counts for every protocol. Each protocol's event enum carries a constant of
 * the same name for each of these (checked when a {@link SessionCounters} is built), so its reports and metrics
 * stay the protocol's own: {@code postgresql.gaps}, {@code mysql.gaps}.
 */
public enum CommonEvent {
    RECORDS_EMITTED,
    INCOMPLETE_STATEMENTS,
    NORMALIZER_FAILURE,
    STATEMENT_TRUNCATED,
    GAPS,
    TLS_SESSIONS,
    INFLIGHT_OVERFLOW,
    INTERNAL_ERROR
}
