package io.dbwire.core.protocol.toy;

import static io.dbwire.core.util.CountedEvent.Kind.VOLUME;

import io.dbwire.core.util.CountedEvent;

/** The toy protocol's counters: the shared session's events by their names, and its own. */
enum ToyEvent implements CountedEvent {
    RECORDS_EMITTED(VOLUME),
    INCOMPLETE_STATEMENTS,
    NORMALIZER_FAILURE,
    STATEMENT_TRUNCATED,
    GAPS,
    TLS_SESSIONS(VOLUME),
    INFLIGHT_OVERFLOW,
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
