package io.dbwire.core.protocol.toy;

import static io.dbwire.core.util.CountedEvent.Kind.VOLUME;

import io.dbwire.core.util.CountedEvent;

/** The toy protocol's counters: the shared session's events by their names, and its own. */
enum ToyEvent implements CountedEvent {
    RECORDS_EMITTED(VOLUME),
    INCOMPLETE_STATEMENTS,
    GAP_INCOMPLETE_STATEMENTS,
    REQUEST_AFTER_ANSWER,
    NORMALIZER_FAILURE,
    STATEMENT_TRUNCATED,
    GAPS,
    TLS_SESSIONS(VOLUME),
    INFLIGHT_OVERFLOW,
    /** Statements whose comments carried tags or a trace context (docs/records.md, attribution). */
    ATTRIBUTED_STATEMENTS(VOLUME),
    /** Statements whose comments hit a bound (tags, comments, comment length): the rest was not read. */
    ATTRIBUTION_CUT(VOLUME),
    /** Result rows scanned for sensitive data (detection.sensitive_data, off by default). */
    SENSITIVE_ROWS_SCANNED(VOLUME),
    /** Rows longer than sensitive_data.max_row_bytes: only their first bytes were scanned. */
    SENSITIVE_ROWS_CUT(VOLUME),
    /** Rows not scanned: beyond sensitive_data.max_rows_per_statement, or binary rows without column types. */
    SENSITIVE_ROWS_SKIPPED(VOLUME),
    /** Card numbers, national identifiers and e-mail addresses found in result rows (counted, never kept). */
    SENSITIVE_VALUES_FOUND(VOLUME),
    INTERNAL_ERROR_RESYNCED,
    INTERNAL_ERROR_CLOSED,
    /** A line that is none of QUERY, OK, ERR; or longer than the framer keeps. */
    PROTOCOL_VIOLATION,
    UNMATCHED_RESPONSE;

    private final Kind kind;

    ToyEvent() {
        this(Kind.PROBLEM);
    }

    ToyEvent(Kind kind) {
        this.kind = kind;
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public String layer() {
        return "toy";
    }
}
