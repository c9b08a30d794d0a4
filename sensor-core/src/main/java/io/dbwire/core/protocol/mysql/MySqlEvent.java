package io.dbwire.core.protocol.mysql;

import static io.dbwire.core.util.CountedEvent.Kind.VOLUME;

import io.dbwire.core.util.CountedEvent;

/**
 * Closed set of outcomes counted by the MySQL/MariaDB parser ({@link #metricName()} is the exported name). Every
 * violation, bound hit and lost-or-partial outcome has one; nothing is logged per packet.
 */
public enum MySqlEvent implements CountedEvent {
    /** Logical packets decoded (both directions; a 16 MiB split packet counts once). */
    PACKETS_PARSED(VOLUME),
    /** Packets that continued a 0xFFFFFF-long packet (the 16 MiB split). */
    CONTINUATION_PACKETS(VOLUME),
    /** A length field above {@code maxMessageBytes} (or a split packet growing past it): direction resyncs. */
    OVERSIZED_LENGTH,
    /** A sequence id other than the expected one; the received id is adopted (resynchronised). */
    SEQUENCE_VIOLATION,
    /** A body that does not decode within its packet (short field, missing terminator). */
    PROTOCOL_VIOLATION_BODY,
    /** A packet out of place for the phase or the expected response (e.g. a row with no result set open). */
    PROTOCOL_VIOLATION_SEQUENCE,
    /** A client packet with an unknown command byte (answered packets are still paired). */
    UNKNOWN_COMMAND,
    /** Fresh connection whose first bytes are not a MySQL greeting: parsing stops. */
    NOT_MYSQL,
    /** Times a direction started probing for a packet boundary. */
    RESYNCS,
    /** Bytes discarded while probing for a packet boundary. */
    RESYNC_SKIPPED_BYTES,
    /** {@code onGap} calls. */
    GAPS,
    /** Server packets with no command waiting for them (mid-stream pickup, lost request). */
    UNMATCHED_RESPONSE,
    /** Statements emitted with status incomplete (gap, close, FIFO overflow). */
    INCOMPLETE_STATEMENTS,
    /** Statements a hole in the mirrored stream cut short (the records that carry {@code gaps}). */
    GAP_INCOMPLETE_STATEMENTS,
    /**
     * Records whose request reached the sensor only after its answer began (reordered on the mirror's way):
     * {@code ts} is the answer's first packet, {@code server_us} and {@code duration_us} are null (unknown).
     */
    REQUEST_AFTER_ANSWER,
    /** SSLRequest seen: one TLS record, parsing stops. */
    TLS_SESSIONS(VOLUME),
    /** Statement text cut to {@code maxStatementBytes}. */
    STATEMENT_TRUNCATED,
    /** A packet longer than the kept prefix (decoded from the prefix, rest skipped by count). */
    MESSAGE_TRUNCATED,
    /** COM_STMT_EXECUTE/FETCH/… of a statement id whose PREPARE was not seen (placeholder statement). */
    UNKNOWN_PREPARED_STATEMENT,
    /** Prepared statements dropped from the bounded per-connection catalogue. */
    PREPARED_STATEMENTS_EVICTED,
    /**
     * A statement id whose PREPARE answer was lost, known anyway: the server accepted an id only that PREPARE can
     * have been given (StatementCatalog).
     */
    PREPARED_ID_INFERRED(VOLUME),
    /** The in-flight command FIFO was full: the oldest command was emitted incomplete. */
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
    /** A multi-statement COM_QUERY whose split() count did not match the server's results. */
    STATEMENT_PAIRING_MISMATCH,
    /** Connections that negotiated compression (CLIENT_COMPRESS zlib, or zstd); packets are decompressed and parsed. */
    COMPRESSED_SESSIONS(VOLUME),
    /** Compressed packets decompressed (zlib or zstd; raw ones, uncompressed length 0, included). */
    COMPRESSED_PACKETS(VOLUME),
    /**
     * A compressed packet that did not decompress, or not to its declared length, or declared longer than
     * {@code maxMessageBytes}: parsing of that direction ends (no boundary inside compressed data is trustworthy).
     */
    DECOMPRESSION_FAILURE,
    /** Compression negotiated but its decoder could not be loaded (a trimmed class path): parsing stops. */
    COMPRESSION_UNSUPPORTED,
    /** MariaDB progress report packets (0xFF with code 0xFFFF), not errors. */
    PROGRESS_REPORTS(VOLUME),
    /**
     * Result sets sent without column definitions because the client cached them (MariaDB
     * MARIADB_CLIENT_CACHE_METADATA, MySQL CLIENT_OPTIONAL_RESULTSET_METADATA): rows follow the column count.
     */
    METADATA_SKIPPED(VOLUME),
    /** Result-set rows counted (text and binary; never materialised). */
    ROWS(VOLUME),
    /** Bytes the client uploaded for LOAD DATA LOCAL INFILE. */
    LOCAL_INFILE_BYTES(VOLUME),
    /** COM_BINLOG_DUMP / COM_BINLOG_DUMP_GTID / COM_REGISTER_SLAVE: replication stream noted, not parsed. */
    REPLICATION_COMMANDS(VOLUME),
    LOGINS_OK(VOLUME),
    LOGINS_FAILED(VOLUME),
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

    MySqlEvent() {
        this(Kind.PROBLEM);
    }

    MySqlEvent(Kind kind) {
        this.kind = kind;
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public String layer() {
        return "mysql";
    }
}
