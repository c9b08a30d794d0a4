package io.dbwire.core.protocol.mysql;

import io.dbwire.core.protocol.mysql.Exchange.Expect;
import io.dbwire.core.protocol.sensitive.SensitiveRows;
import io.dbwire.core.protocol.mysql.MySqlServerMessage.AuthSwitchRequest;
import io.dbwire.core.protocol.mysql.MySqlServerMessage.Eof;
import io.dbwire.core.protocol.mysql.MySqlServerMessage.Err;
import io.dbwire.core.protocol.mysql.MySqlServerMessage.Ok;
import io.dbwire.core.protocol.mysql.MySqlServerMessage.PrepareOk;
import io.dbwire.core.record.ErrorInfo;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.util.ReasonCounters;
import java.util.function.Consumer;

/**
 * Reads server packets against what the head exchange expects. Result sets: column count, definitions, an EOF
 * unless CLIENT_DEPRECATE_EOF, rows, then a terminator — an EOF (0xFE, payload under 9 bytes) or, under
 * CLIENT_DEPRECATE_EOF, an OK packet with header 0xFE. A row can only start with 0xFE when it holds a string of
 * 16 MiB or more, so a 0xFE packet shorter than 0xFFFFFF always terminates, whichever flag was negotiated (which
 * lets a connection picked up mid-stream follow result sets without knowing its capabilities).
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response.html
 */
final class Responses {
    private final MySqlRecords records;
    private final ReasonCounters<MySqlEvent> counters;
    private final StatementCatalog catalog;
    private final Capabilities capabilities;
    /** Takes an answered exchange out of the in-flight FIFO. */
    private final Consumer<Exchange> finished;
    private final SensitiveRows scan;
    /** The connection's OK flyweight: an OK ends nearly every command. */
    private final Ok ok = new Ok();
    /** MySQL allows 4096 columns per table; a result set claiming more is not typed for the scan. */
    static final int MAX_TYPED_COLUMNS = 4096;

    Responses(MySqlRecords records, ReasonCounters<MySqlEvent> counters, StatementCatalog catalog,
            Capabilities capabilities, Consumer<Exchange> finished) {
        this.records = records;
        this.counters = counters;
        this.catalog = catalog;
        this.capabilities = capabilities;
        this.finished = finished;
        this.scan = records.sensitiveRows();
    }

    void onPacket(Exchange e, MySqlPacket p, MySqlReader r) {
        MySqlRun run = e.run();
        run.response(p);
        int first = p.first();
        if (first == MySqlWire.ERR && e.expect != Expect.STREAM) {
            onErr(e, p, r, run);
            return;
        }
        switch (e.expect) {
            case ROWS -> {
                if (terminator(p)) {
                    endResultSet(e, p, r);
                } else {
                    run.rows++;
                    counters.increment(MySqlEvent.ROWS);
                    scanRow(e, p, run);
                }
            }
            case RESULT -> onResult(e, p, r, run, first);
            case COLUMNS -> {
                if (e.columnTypes != null) {
                    columnType(e, p, r);
                }
                e.columnDefinitionSeen();
            }
            case COLUMNS_EOF -> {
                // Under CLIENT_DEPRECATE_EOF (when known) a short 0xFE here is the OK ending an empty result.
                if (first == MySqlWire.EOF && p.length < MySqlWire.EOF_MAX_PAYLOAD && !deprecateEof()) {
                    int status = Eof.status(r.reset(p));
                    if ((status & MySqlWire.SERVER_STATUS_CURSOR_EXISTS) != 0) {
                        endResult(e, status, false); // cursor opened: rows come with COM_STMT_FETCH
                    } else {
                        e.expect = Expect.ROWS;
                    }
                } else if (terminator(p)) { // CLIENT_DEPRECATE_EOF and no rows
                    endResultSet(e, p, r);
                } else { // CLIENT_DEPRECATE_EOF: this is already the first row
                    e.expect = Expect.ROWS;
                    run.rows++;
                    counters.increment(MySqlEvent.ROWS);
                    scanRow(e, p, run);
                }
            }
            case PREPARE -> onPrepareOk(e, p, r, run, first);
            case PREPARE_DEFS -> {
                if (e.definitionSeen(first == MySqlWire.EOF && p.length < MySqlWire.EOF_MAX_PAYLOAD)) {
                    done(e, run);
                }
            }
            case FIELD_LIST -> {
                if (terminator(p)) {
                    done(e, run);
                }
            }
            case STATISTICS -> done(e, run);
            case SIMPLE -> onSimple(e, p, r, run, first);
            case AUTH -> onChangeUserAnswer(e, p, r, run, first);
            case STREAM -> {
                if (!run.done()) {
                    records.statement(run, RecordStatus.OK, null); // noted once; events are not parsed
                }
            }
            default -> { }
        }
    }

    /** The opt-in sensitive-data scan of one row (text, or binary with the types its definitions gave). */
    private void scanRow(Exchange e, MySqlPacket p, MySqlRun run) {
        if (!scan.on()) {
            return;
        }
        if (e.binaryRows()) {
            byte[] types = e.columnTypes != null && e.typesSeen == e.columnTypes.length ? e.columnTypes : null;
            scan.mysqlBinaryRow(p.body, p.kept, p.length, types, types == null ? 0 : types.length, run, run.rows);
        } else {
            scan.mysqlTextRow(p.body, p.kept, p.length, run, run.rows);
        }
    }

    /**
     * ColumnDefinition41: catalog, schema, table, org_table, name, org_name (length-encoded strings), the length
     * of the fixed fields, character set (2), column length (4), type (1).
     * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset_column_definition.html
     */
    private static void columnType(Exchange e, MySqlPacket p, MySqlReader r) {
        r.reset(p);
        for (int i = 0; i < 6; i++) {
            r.skipLenencString();
        }
        r.lenenc();
        r.int2();
        r.int4();
        int type = r.int1();
        if (r.failed() || e.typesSeen >= e.columnTypes.length) {
            e.columnTypes = null; // rows of this result are counted as skipped, not guessed at
            return;
        }
        e.columnTypes[e.typesSeen++] = (byte) type;
    }

    private static boolean terminator(MySqlPacket p) {
        return p.first() == MySqlWire.EOF && p.length < MySqlWire.MAX_PAYLOAD;
    }

    private void onResult(Exchange e, MySqlPacket p, MySqlReader r, MySqlRun run, int first) {
        if (first == MySqlWire.OK) {
            if (!ok.decode(r.reset(p), capabilities.flags())) {
                counters.increment(MySqlEvent.PROTOCOL_VIOLATION_BODY);
                endResult(e, 0, true);
                return;
            }
            run.addAffected(ok.affectedRows());
            schema(ok, run);
            endResult(e, ok.status(), true);
        } else if (first == MySqlWire.LOCAL_INFILE && e.command == MySqlWire.COM_QUERY) {
            e.infile = true; // the client now uploads the file; the server's OK/ERR follows
        } else {
            long columns = r.reset(p).lenenc();
            if (r.failed() || columns <= 0) {
                counters.increment(MySqlEvent.PROTOCOL_VIOLATION_SEQUENCE);
                done(e, run);
                return;
            }
            run.resultSet = true;
            if (metadataFollows(r)) {
                e.expectColumns(columns);
                if (scan.on() && e.binaryRows() && columns <= MAX_TYPED_COLUMNS) {
                    e.columnTypes = new byte[(int) columns];
                    e.typesSeen = 0;
                }
            } else {
                counters.increment(MySqlEvent.METADATA_SKIPPED);
                e.expectColumns(0); // the EOF still comes unless CLIENT_DEPRECATE_EOF; then the rows
            }
        }
    }

    /**
     * The byte after the column count: MariaDB's MARIADB_CLIENT_CACHE_METADATA or MySQL's
     * CLIENT_OPTIONAL_RESULTSET_METADATA; 0 means no column definitions follow. A column-count packet holds
     * nothing else, so a byte present there is this flag (which also serves a connection picked up mid-stream,
     * whose capabilities are unknown).
     */
    private static boolean metadataFollows(MySqlReader r) {
        return r.remaining() == 0 || r.int1() != 0;
    }

    private boolean deprecateEof() {
        return capabilities.has(MySqlWire.CLIENT_DEPRECATE_EOF);
    }

    private void endResultSet(Exchange e, MySqlPacket p, MySqlReader r) {
        int status;
        if (p.length <= MySqlWire.EOF_PAYLOAD) { // a classic EOF; an OK with header 0xFE is longer
            status = Eof.status(r.reset(p));
        } else {
            status = ok.decode(r.reset(p), capabilities.flags()) ? ok.status() : 0;
        }
        endResult(e, status, false);
    }

    /**
     * One result ended. With SERVER_MORE_RESULTS_EXISTS the next result belongs to the next statement of the
     * split text — except inside a CALL, whose result sets all belong to it until its closing OK.
     */
    private void endResult(Exchange e, int status, boolean fromOk) {
        MySqlRun run = e.run();
        boolean more = (status & MySqlWire.SERVER_MORE_RESULTS_EXISTS) != 0;
        boolean call = run.statement() != null && "CALL".equals(run.statement().operation());
        e.resultEnded();
        if (more && call && !fromOk) {
            return;
        }
        if (more && !e.lastRun()) {
            records.statement(run, RecordStatus.OK, null);
            e.index++;
            return;
        }
        if (more) {
            return; // more results than statements: the split disagreed with the server, results fold in
        }
        if (!e.lastRun()) {
            counters.increment(MySqlEvent.STATEMENT_PAIRING_MISMATCH);
        }
        done(e, run);
    }

    private void onPrepareOk(Exchange e, MySqlPacket p, MySqlReader r, MySqlRun run, int first) {
        PrepareOk ok = first == MySqlWire.OK ? PrepareOk.decode(r.reset(p), capabilities.flags()) : null;
        if (ok == null) {
            counters.increment(MySqlEvent.PROTOCOL_VIOLATION_BODY);
            done(e, run);
            return;
        }
        if (e.prepared != null) {
            catalog.put(ok.statementId(), e.prepared);
        }
        e.idKnown = true;
        boolean deprecateEof = capabilities.has(MySqlWire.CLIENT_DEPRECATE_EOF);
        if (!ok.metadataFollows()) {
            counters.increment(MySqlEvent.METADATA_SKIPPED);
            done(e, run);
            return;
        }
        int eofs = deprecateEof ? 0 : (ok.columns() > 0 ? 1 : 0) + (ok.params() > 0 ? 1 : 0);
        if (!e.expectDefinitions(ok.columns() + ok.params(), eofs)) {
            done(e, run);
        }
    }

    private void onSimple(Exchange e, MySqlPacket p, MySqlReader r, MySqlRun run, int first) {
        if (first == MySqlWire.OK) {
            if (ok.decode(r.reset(p), capabilities.flags())) {
                schema(ok, run);
            }
            if (e.command == MySqlWire.COM_INIT_DB && e.schema != null) {
                records.database(e.schema);
            } else if (e.command == MySqlWire.COM_RESET_CONNECTION) {
                catalog.clear();
            }
        } else if (first != MySqlWire.EOF) {
            counters.increment(MySqlEvent.PROTOCOL_VIOLATION_SEQUENCE);
        }
        done(e, run);
    }

    private void onChangeUserAnswer(Exchange e, MySqlPacket p, MySqlReader r, MySqlRun run, int first) {
        if (first == MySqlWire.OK) {
            records.changedUser(e.user, e.schema, e.program, e.authPlugin);
            catalog.clear();
            counters.increment(MySqlEvent.LOGINS_OK);
            records.login(run, RecordStatus.OK, null);
            finished.accept(e);
        } else if (first == MySqlWire.EOF) {
            AuthSwitchRequest s = AuthSwitchRequest.decode(r.reset(p));
            if (s == null) {
                counters.increment(MySqlEvent.PROTOCOL_VIOLATION_BODY);
            } else {
                e.authPlugin = s.plugin();
            }
        }
        // 0x01 AuthMoreData: the exchange goes on with the client's answer.
    }

    private void onErr(Exchange e, MySqlPacket p, MySqlReader r, MySqlRun run) {
        Err err = Err.decode(r.reset(p), capabilities.flags());
        if (err == null) {
            counters.increment(MySqlEvent.PROTOCOL_VIOLATION_BODY);
            err = new Err(0, null, null);
        } else if (err.progressReport()) {
            counters.increment(MySqlEvent.PROGRESS_REPORTS); // MariaDB progress, the command goes on
            return;
        }
        ErrorInfo info = new ErrorInfo(err.code() == 0 ? null : Integer.toString(err.code()), err.message());
        if (e.expect == Expect.AUTH) {
            counters.increment(MySqlEvent.LOGINS_FAILED);
            // The refusal answers the attempt for the user COM_CHANGE_USER named, not the session's user.
            records.refusedChangeUser(run, info, e.user, e.schema, e.authPlugin);
        } else {
            // An error ends a multi-statement batch: the server runs none of the statements after it.
            records.statement(run, RecordStatus.ERROR, info);
        }
        finished.accept(e);
    }

    /** A USE (or any statement) that changed the default schema: from the session tracker, else from USE's text. */
    private void schema(Ok ok, MySqlRun run) {
        if (ok.schema() != null) {
            records.database(ok.schema());
        } else if (run.statement() != null && "USE".equals(run.statement().operation())
                && run.statement().text() != null) {
            String[] words = run.statement().text().trim().split("\\s+", 2);
            if (words.length == 2) {
                String db = words[1].replace(";", "").trim();
                if (db.length() > 1 && db.startsWith("`") && db.endsWith("`")) {
                    db = db.substring(1, db.length() - 1).replace("``", "`");
                }
                records.database(db);
            }
        }
    }

    private void done(Exchange e, MySqlRun run) {
        records.statement(run, RecordStatus.OK, null);
        finished.accept(e);
    }
}
