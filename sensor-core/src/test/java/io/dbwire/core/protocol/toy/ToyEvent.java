package io.dbwire.core.protocol.toy;

/** The toy protocol's counters: the shared session's events by their names, and its own. */
enum ToyEvent {
    RECORDS_EMITTED,
    INCOMPLETE_STATEMENTS,
    NORMALIZER_FAILURE,
    STATEMENT_TRUNCATED,
    GAPS,
    TLS_SESSIONS,
    INFLIGHT_OVERFLOW,
    INTERNAL_ERROR,
    /** A line that is none of QUERY, OK, ERR; or longer than the framer keeps. */
    PROTOCOL_VIOLATION,
    UNMATCHED_RESPONSE
}
