package io.dbwire.core.protocol.mysql;

import io.dbwire.core.memory.MemoryAccount;
import io.dbwire.core.protocol.sensitive.SensitiveRows;
import io.dbwire.core.protocol.mysql.MySqlClientMessage.ChangeUser;
import io.dbwire.core.protocol.mysql.MySqlClientMessage.FieldList;
import io.dbwire.core.protocol.mysql.MySqlClientMessage.InitDb;
import io.dbwire.core.protocol.mysql.MySqlClientMessage.Query;
import io.dbwire.core.protocol.mysql.MySqlClientMessage.StatementRef;
import io.dbwire.core.protocol.mysql.Exchange.Expect;
import io.dbwire.core.protocol.session.InFlight;
import io.dbwire.core.protocol.session.SessionCounters;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.util.ReasonCounters;
import java.util.List;

/**
 * The command phase of one connection: each client command becomes an {@link Exchange} in a bounded FIFO (clients
 * such as MariaDB Connector/J pipeline PREPARE and EXECUTE), and the server's packets answer the head exchange
 * in the shape its command calls for ({@link Responses}). Commands the server never answers (COM_QUIT,
 * COM_STMT_CLOSE, COM_STMT_SEND_LONG_DATA) are recorded at once. A server packet with no exchange is counted.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_command_phase.html
 */
final class MySqlCommandPhase {
    static final int MAX_IN_FLIGHT = 64;

    private final MySqlRecords records;
    private final ReasonCounters<MySqlEvent> counters;
    private final StatementCatalog catalog;
    private final InFlight<Exchange> fifo;
    private final Responses responses;
    private final Capabilities capabilities;
    /**
     * Bytes were lost since the last answer that completed in step: until one does, a server packet must prove
     * by its sequence id that it belongs to the head exchange (see {@link #outOfStepAfterGap}).
     */
    private boolean afterGap;
    /**
     * Client bytes were lost, and the commands they held may still be answered: until an answer completes in step
     * (every answer to a hidden command comes before it), a lost server byte may have been a PREPARE_OK handing
     * out an id nobody saw.
     */
    private boolean hiddenCommandsAnswering;
    /** Payload length of COM_STMT_PREPARE_OK: status, id, columns, params, filler, warnings. */
    private static final int PREPARE_OK_LENGTH = 12;
    /**
     * The last exchange of one run that finished with its record emitted, reused by the next command: a
     * prepared-statement workload would otherwise allocate an exchange, a run and a list per command.
     */
    private Exchange spare;

    /** A quiet connection keeps no spare exchange and, with nothing in flight, no FIFO array. */
    void trimIdle() {
        spare = null;
        fifo.trim();
    }

    MySqlCommandPhase(MySqlRecords records, SessionCounters<MySqlEvent> counters, long capabilities) {
        this.records = records;
        this.counters = counters.reasons();
        this.capabilities = new Capabilities(capabilities);
        this.catalog = new StatementCatalog(this.counters);
        this.fifo = new InFlight<>(MAX_IN_FLIGHT, counters, this::incomplete);
        this.responses = new Responses(records, this.counters, catalog, this.capabilities, this::finished);
    }

    /** The login negotiated these capabilities (the constructor's are a mid-stream assumption). */
    void negotiated(long flags) {
        capabilities.negotiated(flags);
    }

    /** An answer completed in step: the exchange leaves the FIFO and the connection is back in sequence. */
    private void finished(Exchange e) {
        fifo.remove(e);
        afterGap = false;
        records.pastLastGap();
        hiddenCommandsAnswering = false;
        if (e.runs.size() == 1 && e.runs.get(0).done()) {
            spare = e; // nothing refers to it any more: the FIFO let it go and its record is built
        }
    }

    // ---- client -------------------------------------------------------------------------------------------

    void onClient(MySqlPacket p, MySqlReader r) {
        Exchange last = fifo.last();
        if (p.seq != 0 && last != null) {
            // Not a new command: LOCAL INFILE data, or auth data during COM_CHANGE_USER.
            last.run().request(p);
            last.nextSeq = (p.lastSeq + 1) & 0xff;
            if (last.infile) {
                counters.add(MySqlEvent.LOCAL_INFILE_BYTES, p.length);
            }
            return;
        }
        if (p.seq != 0) {
            counters.increment(MySqlEvent.SEQUENCE_VIOLATION);
        }
        int command = p.first();
        switch (command) {
            case MySqlWire.COM_QUERY -> onQuery(p, r);
            case MySqlWire.COM_STMT_PREPARE -> onPrepare(p, r);
            case MySqlWire.COM_STMT_EXECUTE, MySqlWire.COM_STMT_BULK_EXECUTE -> onExecute(p, r);
            case MySqlWire.COM_STMT_FETCH -> {
                Exchange e = add(p, statementOf(r, p, "FETCH"), Expect.ROWS);
                e.run().resultSet = true;
            }
            case MySqlWire.COM_STMT_CLOSE -> {
                StatementRef ref = StatementRef.decode(r.reset(p));
                noAnswer(p, statementOf(r, p, "CLOSE_STMT"));
                if (ref != null) {
                    catalog.remove(ref.statementId());
                }
            }
            case MySqlWire.COM_STMT_SEND_LONG_DATA -> noAnswer(p, statementOf(r, p, "SEND_LONG_DATA"));
            case MySqlWire.COM_STMT_RESET -> add(p, statementOf(r, p, "RESET_STMT"), Expect.SIMPLE);
            case MySqlWire.COM_QUIT -> noAnswer(p, records.command("QUIT"));
            case MySqlWire.COM_INIT_DB -> {
                InitDb db = InitDb.decode(r.reset(p));
                add(p, records.command("INIT_DB"), Expect.SIMPLE).schema = db.schema();
            }
            case MySqlWire.COM_FIELD_LIST -> {
                FieldList f = FieldList.decode(r.reset(p));
                if (f == null) {
                    counters.increment(MySqlEvent.PROTOCOL_VIOLATION_BODY);
                }
                add(p, records.command("FIELD_LIST", f == null ? null : f.argument()), Expect.FIELD_LIST);
            }
            case MySqlWire.COM_STATISTICS -> add(p, records.command("STATISTICS"), Expect.STATISTICS);
            case MySqlWire.COM_CHANGE_USER -> onChangeUser(p, r);
            case MySqlWire.COM_BINLOG_DUMP, MySqlWire.COM_BINLOG_DUMP_GTID, MySqlWire.COM_REGISTER_SLAVE -> {
                counters.increment(MySqlEvent.REPLICATION_COMMANDS);
                add(p, records.command(MySqlWire.commandName(command)),
                        command == MySqlWire.COM_REGISTER_SLAVE ? Expect.SIMPLE : Expect.STREAM);
            }
            case MySqlWire.COM_PING, MySqlWire.COM_RESET_CONNECTION, MySqlWire.COM_SET_OPTION, MySqlWire.COM_REFRESH,
                    MySqlWire.COM_PROCESS_KILL, MySqlWire.COM_DEBUG, MySqlWire.COM_SHUTDOWN, MySqlWire.COM_CREATE_DB,
                    MySqlWire.COM_DROP_DB, MySqlWire.COM_PROCESS_INFO, MySqlWire.COM_SLEEP ->
                    add(p, records.command(MySqlWire.commandName(command)),
                            command == MySqlWire.COM_PROCESS_INFO ? Expect.RESULT : Expect.SIMPLE);
            default -> {
                // Unknown (or a newer server's) command: most commands are answered, so pair it with the answer;
                // after a gap it is more likely a false boundary than a command: nothing to pair, never a guess.
                counters.increment(MySqlEvent.UNKNOWN_COMMAND);
                if (!afterGap) {
                    add(p, records.command("UNKNOWN"), Expect.SIMPLE);
                }
            }
        }
    }

    private void onQuery(MySqlPacket p, MySqlReader r) {
        Query q = Query.decode(r.reset(p), capabilities.flags());
        if (q == null) {
            counters.increment(MySqlEvent.PROTOCOL_VIOLATION_BODY);
            add(p, MySqlRecords.UNKNOWN_STATEMENT, Expect.RESULT);
            return;
        }
        List<String> parts = records.split(q.sql());
        if (parts.size() == 1) { // the common case: the spare exchange and its run serve again, as for EXECUTE
            add(p, records.describe(parts.get(0)), Expect.RESULT);
            return;
        }
        List<MySqlRun> runs = records.statementRuns(parts, p, MySqlRun::new);
        Exchange e = new Exchange(MySqlWire.COM_QUERY, runs, Expect.RESULT);
        e.nextSeq = (p.lastSeq + 1) & 0xff;
        enqueue(e);
    }

    private void onPrepare(MySqlPacket p, MySqlReader r) {
        r.reset(p).int1();
        StatementInfo info = records.describe(r.restString());
        catalog.preparing(info);
        Exchange e = add(p, MySqlRecords.as(info, "PREPARE"), Expect.PREPARE);
        e.prepared = info;
    }

    /**
     * An execution of a statement id the catalog lacks gets the placeholder; if only one statement can have that
     * id ({@link StatementCatalog#soleUnanswered()}), the exchange remembers it for when the server accepts the id.
     */
    private void onExecute(MySqlPacket p, MySqlReader r) {
        long id = StatementRef.id(r.reset(p));
        StatementInfo info = id == StatementRef.NONE ? null : catalog.get(id);
        if (info != null) {
            add(p, info, Expect.RESULT);
            return;
        }
        counters.increment(MySqlEvent.UNKNOWN_PREPARED_STATEMENT);
        Exchange e = add(p, MySqlRecords.PREPARE_NOT_SEEN, Expect.RESULT);
        if (id != StatementRef.NONE && id != MySqlWire.LAST_PREPARED_ID && !afterGap) {
            e.soleCandidate = catalog.soleUnanswered();
            e.statementId = id;
        }
    }

    private void onChangeUser(MySqlPacket p, MySqlReader r) {
        ChangeUser c = ChangeUser.decode(r.reset(p), capabilities.flags());
        if (c == null) {
            counters.increment(MySqlEvent.PROTOCOL_VIOLATION_BODY);
        }
        Exchange e = add(p, null, Expect.AUTH);
        if (c != null) {
            e.user = c.user();
            e.schema = c.database();
            e.authPlugin = c.authPlugin();
            e.program = c.program();
        }
    }

    /** Statement named by a COM_STMT_* id: the prepared text, or the placeholder when its PREPARE was not seen. */
    private StatementInfo statementOf(MySqlReader r, MySqlPacket p, String operation) {
        long id = StatementRef.id(r.reset(p));
        StatementInfo info = id == StatementRef.NONE ? null : catalog.get(id);
        if (info == null) {
            counters.increment(MySqlEvent.UNKNOWN_PREPARED_STATEMENT);
            info = MySqlRecords.PREPARE_NOT_SEEN;
        }
        return operation == null ? info : MySqlRecords.as(info, operation);
    }

    private Exchange add(MySqlPacket p, StatementInfo statement, Expect expect) {
        Exchange e = spare;
        if (e != null) {
            spare = null;
            e.reuse(p.first(), statement, expect);
        } else {
            e = new Exchange(p.first(), List.of(new MySqlRun(statement)), expect);
        }
        e.run().request(p);
        e.nextSeq = (p.lastSeq + 1) & 0xff;
        enqueue(e);
        return e;
    }

    private void noAnswer(MySqlPacket p, StatementInfo statement) {
        MySqlRun run = new MySqlRun(statement);
        run.request(p);
        records.statement(run, RecordStatus.OK, null);
    }

    private void enqueue(Exchange e) {
        fifo.add(e);
    }

    // ---- server -------------------------------------------------------------------------------------------

    void onServer(MySqlPacket p, MySqlReader r) {
        Exchange e = fifo.head();
        if (p.seq == 1 && p.length == PREPARE_OK_LENGTH && p.first() == MySqlWire.OK
                && (e == null || e.command != MySqlWire.COM_STMT_PREPARE || e.answered)) {
            catalog.commandsMayBeUnseen(); // may hand out an id for a PREPARE we did not see
        }
        if (e == null) {
            counters.increment(MySqlEvent.UNMATCHED_RESPONSE);
            return;
        }
        if (p.seq != e.nextSeq && e.expect != Expect.STREAM) {
            counters.increment(MySqlEvent.SEQUENCE_VIOLATION);
            if (afterGap && outOfStepAfterGap(e)) {
                return;
            }
        }
        if (!e.answered && e.soleCandidate != null) {
            acceptedOrNot(e, p);
        }
        e.nextSeq = (p.lastSeq + 1) & 0xff;
        e.answered = true;
        responses.onPacket(e, p, r);
    }

    /**
     * The first packet of the answer to an execution of an id only one lost-answer PREPARE can have been given: an
     * ERR may mean the server does not know the id, so it stays unknown; anything else (OK, a result set) means
     * the server accepted it, so it is that PREPARE's statement, for this record and the later ones.
     */
    private void acceptedOrNot(Exchange e, MySqlPacket p) {
        StatementInfo candidate = e.soleCandidate;
        e.soleCandidate = null;
        if (afterGap || p.first() == MySqlWire.ERR || catalog.soleUnanswered() != candidate) {
            return;
        }
        catalog.resolve(e.statementId, candidate);
        e.run().statement(candidate);
    }

    /** Client commands may have gone unseen for good (a mid-stream start). */
    void commandsMayBeUnseen() {
        catalog.commandsMayBeUnseen();
    }

    /**
     * Bytes of a direction were lost or skipped. Lost client bytes may have held a COM_STMT_PREPARE: its id stays
     * accounted for only if its answer is seen not to be a PREPARE_OK ({@link #onServer}) — so server bytes lost
     * before the next answer completes in step make every unseen id unprovable.
     */
    void bytesLost(boolean client) {
        if (client) {
            hiddenCommandsAnswering = true;
        } else if (hiddenCommandsAnswering) {
            catalog.commandsMayBeUnseen();
        }
    }

    /**
     * After a gap, a server packet out of sequence never answers the head exchange: before the head's answer
     * began, it is the remnant of an answer whose start was lost (dropped, counted unmatched); inside the head's
     * answer, part of that answer is missing, so the head ends incomplete. Never a guess.
     */
    private boolean outOfStepAfterGap(Exchange e) {
        counters.increment(MySqlEvent.UNMATCHED_RESPONSE);
        if (e.answered) {
            fifo.remove(e);
            records.underLastGap(() -> incomplete(e)); // the hole that put the answer out of step cut it
        }
        return true;
    }

    /**
     * Payload bytes of a client packet worth keeping, by its first byte. Parameter values are never read: of a
     * COM_STMT_SEND_LONG_DATA (data chunks of any size) or COM_STMT_EXECUTE (a 20 MiB blob parameter) only the
     * head is, so their size is a choice, not a truncation. Everything else is kept whole (up to the bound).
     */
    static int keepClient(int first) {
        return switch (first) {
            case MySqlWire.COM_STMT_SEND_LONG_DATA -> MySqlWire.LONG_DATA_HEAD;
            case MySqlWire.COM_STMT_EXECUTE, MySqlWire.COM_STMT_BULK_EXECUTE -> MySqlWire.EXECUTE_HEAD;
            default -> Integer.MAX_VALUE;
        };
    }

    /** Bytes of a column definition kept to read its type when the sensitive-data scan reads binary rows. */
    static final int COLUMN_DEFINITION_KEEP_BYTES = 4096;

    /** Bytes of a 0xFE packet kept where a row is expected: a terminator's fields fit, a huge row is cut. */
    static final int TERMINATOR_KEEP_BYTES = 1024;

    /** How many payload bytes of the next server packet are worth keeping, by its first byte. */
    int keepServer(int first) {
        Exchange e = fifo.head();
        if (e == null || first == MySqlWire.ERR) {
            return Integer.MAX_VALUE;
        }
        switch (e.expect) {
            case ROWS, COLUMNS, COLUMNS_EOF, STREAM, PREPARE_DEFS, FIELD_LIST -> {
                // Rows and definitions are counted, never read; a 0xFE packet may be a terminator (short) or a
                // row holding a string of 16 MiB or more, told apart by its length only at its end.
                int keep = first == MySqlWire.EOF ? TERMINATOR_KEEP_BYTES : 1;
                SensitiveRows scan = records.sensitiveRows();
                if (scan.on() && (e.expect == Expect.ROWS || e.expect == Expect.COLUMNS_EOF)) {
                    return Math.max(keep, scan.rowKeep()); // the row's first bytes, for the opt-in scan
                }
                if (scan.on() && e.expect == Expect.COLUMNS && e.columnTypes != null) {
                    return COLUMN_DEFINITION_KEEP_BYTES; // its type, to walk binary rows
                }
                return keep;
            }
            default -> {
                return Integer.MAX_VALUE;
            }
        }
    }

    /** Whatever waits for an answer can no longer be paired: emit it incomplete, once. */
    void flushIncomplete() {
        afterGap = true;
        fifo.drain(this::incomplete);
    }

    private void incomplete(Exchange e) {
        if (e.command == MySqlWire.COM_STMT_PREPARE && e.prepared != null && !e.idKnown) {
            catalog.answerLost(e.prepared); // its id is unknown; it may still be executed
        }
        for (int i = e.index; i < e.runs.size(); i++) {
            MySqlRun run = e.runs.get(i);
            if (e.expect == Expect.AUTH) {
                records.login(run, RecordStatus.INCOMPLETE, null);
            } else {
                records.statement(run, RecordStatus.INCOMPLETE, null);
            }
        }
    }

    /** The connection's memory account: the prepared-statement catalog draws from it. */
    void chargeTo(MemoryAccount account) {
        catalog.chargeTo(account);
    }
}
