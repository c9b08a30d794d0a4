package io.dbwire.core.protocol.postgres;

import static io.dbwire.core.util.CountedEvent.Kind.VOLUME;

import io.dbwire.core.util.CountedEvent;

/**
 * Closed set of outcomes counted by the PostgreSQL parser ({@link #metricName()} is the exported name). Every
 * violation, bound hit and lost-or-partial outcome has one; nothing is logged per packet.
 */
public enum PgEvent implements CountedEvent {
    /** Whole frames decoded (both directions, startup-phase messages included). */
    MESSAGES_PARSED(VOLUME),
    /** A length field below the protocol minimum or not the fixed size of its type. */
    PROTOCOL_VIOLATION_LENGTH,
    /** A type byte that is not a message of this direction (frame skipped by its length). */
    PROTOCOL_VIOLATION_TYPE,
    /** A body that does not decode within its frame (missing terminator, short field). */
    PROTOCOL_VIOLATION_BODY,
    /** A first client message that is not a startup-phase message. */
    PROTOCOL_VIOLATION_STARTUP,
    /** A message out of place for the session phase (e.g. ReadyForQuery before AuthenticationOk). */
    PROTOCOL_VIOLATION_SEQUENCE,
    /** A negative length or one above {@code maxMessageBytes}: direction resynchronises, nothing allocated. */
    OVERSIZED_LENGTH,
    /** Times a direction started probing for a message boundary. */
    RESYNCS,
    /** Bytes discarded while probing for a message boundary. */
    RESYNC_SKIPPED_BYTES,
    /** {@code onGap} calls. */
    GAPS,
    /** A completion (CommandComplete, ErrorResponse, ParseComplete…) with no request waiting for it. */
    UNMATCHED_RESPONSE,
    /** Statements emitted with status incomplete (gap, close, FIFO overflow). */
    INCOMPLETE_STATEMENTS,
    /** Statements a hole in the mirrored stream cut short (the records that carry {@code gaps}). */
    GAP_INCOMPLETE_STATEMENTS,
    /**
     * Statements a hole cut inside their answer (or their COPY data) that are exact all the same: the server's
     * CommandComplete tag, provably theirs, gives the rows (docs/reassembly.md); they carry {@code gaps}.
     */
    ROWS_FROM_TAG_AFTER_GAP,
    /**
     * Records whose request reached the sensor only after its answer began (reordered on the mirror's way):
     * {@code ts} is the answer's first packet, {@code server_us} and {@code duration_us} are null (unknown).
     */
    REQUEST_AFTER_ANSWER,
    /**
     * Records of statements whose request the mirror lost, made from the server's answer that followed the hole
     * ({@code statement.text_unknown: "request_not_seen"}, operation and rows from the tag, timings null).
     */
    ANSWER_OF_LOST_REQUEST,
    /** Connections that switched to TLS after SSLRequest ('S'); parsing stops. */
    TLS_SESSIONS(VOLUME),
    /** Connections that switched to GSSAPI encryption after GSSENCRequest ('G'); parsing stops. */
    GSS_ENCRYPTED_SESSIONS(VOLUME),
    /** Statement text cut to {@code maxStatementBytes}. */
    STATEMENT_TRUNCATED,
    /** A message body longer than the kept prefix (decoded from the prefix, rest skipped by count). */
    MESSAGE_TRUNCATED,
    /** Bind/Execute of a statement or portal whose Parse/Bind was not seen (placeholder statement). */
    UNKNOWN_PREPARED_STATEMENT,
    /** Prepared statements or portals dropped from the bounded per-connection catalogue. */
    PREPARED_STATEMENTS_EVICTED,
    /** The in-flight request FIFO was full: the oldest request was emitted incomplete. */
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
    /** A simple Query whose split() count did not match the server's completions. */
    STATEMENT_PAIRING_MISMATCH,
    /** Startup with a protocol version other than 3.x: parsing stops. */
    UNSUPPORTED_PROTOCOL_VERSION,
    /** DataRow messages counted (never materialised). */
    DATA_ROWS(VOLUME),
    /** CopyData messages counted, both directions. */
    COPY_DATA_MESSAGES(VOLUME),
    /** FunctionCall ('F', fastpath) messages: each is a statement record with operation FUNCTION_CALL. */
    FUNCTION_CALLS(VOLUME),
    LOGINS_OK(VOLUME),
    LOGINS_FAILED(VOLUME),
    CANCEL_REQUESTS(VOLUME),
    /** CancelRequests whose process id and secret key matched a BackendKeyData seen on another connection. */
    CANCEL_MATCHED(VOLUME),
    RECORDS_EMITTED(VOLUME),
    /** The statement normaliser threw; a placeholder statement was used. */
    NORMALIZER_FAILURE,
    /**
     * A bug in this parser, caught at a frame boundary and logged (rate-limited, with the connection): in-flight
     * statements were flushed incomplete and parsing resumed at the next message boundary. Should stay zero.
     */
    INTERNAL_ERROR_RESYNCED,
    /** A further bug in a connection that already resynchronised several times: it is no longer parsed. */
    INTERNAL_ERROR_CLOSED;

    private final Kind kind;

    PgEvent() {
        this(Kind.PROBLEM);
    }

    PgEvent(Kind kind) {
        this.kind = kind;
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public String layer() {
        return "postgres";
    }
}
