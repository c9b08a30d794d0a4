package io.dbwire.core.protocol.postgres;

import io.dbwire.core.memory.MemoryAccount;
import io.dbwire.core.protocol.sensitive.SensitiveRows;
import io.dbwire.core.protocol.postgres.PgServerMessage.CommandComplete;
import io.dbwire.core.protocol.postgres.PgServerMessage.ErrorResponse;
import io.dbwire.core.protocol.postgres.PgClientMessage.Bind;
import io.dbwire.core.protocol.postgres.PgClientMessage.Execute;
import io.dbwire.core.protocol.postgres.PgClientMessage.FunctionCall;
import io.dbwire.core.protocol.postgres.PgClientMessage.Parse;
import io.dbwire.core.protocol.postgres.PgClientMessage.Target;
import io.dbwire.core.protocol.postgres.PgInFlight.Entry;
import io.dbwire.core.protocol.postgres.PgInFlight.Op;
import io.dbwire.core.protocol.session.SessionCounters;
import io.dbwire.core.record.ErrorInfo;
import io.dbwire.core.record.GapInfo;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.util.ReasonCounters;
import java.util.List;

/**
 * The in-flight requests of one connection after login, as a FIFO paired with the server's answers in order
 * (https://www.postgresql.org/docs/current/protocol-flow.html). Every client message that the server answers
 * is an entry; the server's completion messages pop them. A simple Query is one entry holding one run per
 * statement of its split text; in the extended protocol the messages since the last Execute/Sync form a group
 * sharing one run, completed by its Execute. The FIFO is bounded; a response with no entry is counted.
 */
final class PgCommandPhase {
    private final PgInFlight fifo;
    private final PgRecords records;
    /** Prepared statements and portals, made with the first Parse or Bind (simple-Query connections hold none). */
    private StatementCatalog catalog;
    /** What the catalog charges, remembered until it is made. */
    private MemoryAccount memory = MemoryAccount.NONE;
    private final ReasonCounters<PgEvent> counters;
    /** Open extended-protocol group: the run its Execute will complete. */
    private PgRun group;
    /** After an error with no Sync queued, the server ignores client messages until Sync. */
    private boolean discardUntilSync;

    /**
     * Flyweights for the messages every execution of a prepared statement sends (see PgClientMessage), made on
     * first use: a connection that only sends simple Queries holds none.
     */
    private Bind bind;
    private Execute execute;
    private Target target;
    /**
     * The run of the last extended-protocol group whose Execute completed with its record emitted: nothing refers
     * to it any more (its entries left the FIFO before the Execute did), so the next group reuses it.
     */
    private PgRun spareRun;
    /**
     * The client's hole came while nothing was in flight and the server had answered everything before (in step):
     * until the client's next message or another hole, an answer beginning with nothing in flight is the lost
     * request's.
     */
    private boolean answersOfLostRequests;

    private final SensitiveRows scan;
    /** A statement carried across a hole in its own answer, its rows to come from the tag. */
    private final PgTagSalvage salvage;

    PgCommandPhase(PgRecords records, SessionCounters<PgEvent> counters, PgSpareQueries spareQueries) {
        this.records = records;
        this.counters = counters.reasons();
        this.fifo = new PgInFlight(records, counters, spareQueries);
        this.scan = records.sensitiveRows();
        this.salvage = new PgTagSalvage(fifo, records, this.counters);
    }

    // ---- client side ---------------------------------------------------------------------------------------

    void onClient(PgFrame f, PgReader r) {
        answersOfLostRequests = false; // what the server says next may answer this message
        if (salvage.active() && salvage.onClient(f)) {
            return;
        }
        switch (f.type) {
            case PgWire.F_QUERY -> onQuery(f, r.queryCstring()); // its text is all a Query holds
            case PgWire.F_PARSE -> onParse(f, Parse.decode(r));
            case PgWire.F_BIND -> onBind(f, bind().decode(r) ? bind : null, r);
            case PgWire.F_DESCRIBE -> onDescribe(f, target().decode(r) ? target : null);
            case PgWire.F_EXECUTE -> onExecute(f, execute().decode(r) ? execute : null);
            case PgWire.F_CLOSE -> onCloseTarget(f, target().decode(r) ? target : null);
            case PgWire.F_SYNC -> onSync();
            case PgWire.F_COPY_DATA, PgWire.F_COPY_DONE, PgWire.F_COPY_FAIL -> onClientCopy(f);
            case PgWire.F_FUNCTION_CALL -> onFunctionCall(f, FunctionCall.decode(r));
            default -> { } // Flush, Terminate, stray password: nothing to pair
        }
    }

    private Bind bind() {
        if (bind == null) {
            bind = new Bind();
        }
        return bind;
    }

    private Execute execute() {
        if (execute == null) {
            execute = new Execute();
        }
        return execute;
    }

    private Target target() {
        if (target == null) {
            target = new Target();
        }
        return target;
    }

    private void onQuery(PgFrame f, String sql) {
        if (sql == null) {
            counters.increment(PgEvent.PROTOCOL_VIOLATION_BODY);
            return;
        }
        List<String> parts = records.split(sql);
        if (parts.size() == 1) { // the common case: a spare entry and run of the engine serve again
            fifo.add(fifo.queryEntry(records.describe(parts.get(0)), f));
            return;
        }
        List<PgRun> runs = records.statementRuns(parts, f, PgRun::new);
        fifo.add(new Entry(Op.QUERY, null, null, null, runs));
    }

    private void onParse(PgFrame f, Parse p) {
        if (p == null) {
            counters.increment(PgEvent.PROTOCOL_VIOLATION_BODY);
            return;
        }
        if (discardUntilSync) {
            return;
        }
        StatementInfo info = records.describe(p.sql());
        catalog().putStatement(p.name(), info);
        if (records.bindParameters()) {
            // Kept raw for substituting Bind values; a text longer than a record could show is not kept.
            catalog().putSql(p.name(), p.sql().length() <= records.maxStatementBytes() ? p.sql() : null);
        }
        PgRun run = groupRun(f, info);
        fifo.add(fifo.entry(Op.PARSE, run, info, p.name()));
    }

    private void onBind(PgFrame f, Bind b, PgReader r) {
        if (b == null) {
            counters.increment(PgEvent.PROTOCOL_VIOLATION_BODY);
            return;
        }
        if (discardUntilSync) {
            return;
        }
        StatementInfo info = known(catalog().statement(b.statement()));
        String sql = records.bindParameters() ? catalog.sql(b.statement()) : null;
        if (sql != null) {
            String[] literals = BindParameters.literals(r, records.maxStatementBytes());
            if (literals != null && literals.length > 0) {
                info = records.describe(BindParameters.substitute(sql, literals));
            }
        }
        catalog().putPortal(b.portal(), info);
        fifo.add(fifo.entry(Op.BIND, groupRun(f, info), info, null));
    }

    private void onDescribe(PgFrame f, Target t) {
        if (t == null) {
            counters.increment(PgEvent.PROTOCOL_VIOLATION_BODY);
            return;
        }
        if (discardUntilSync) {
            return;
        }
        StatementInfo info = t.kind() == Target.STATEMENT ? catalog().statement(t.name()) : catalog().portal(t.name());
        info = info == null ? PgRecords.UNKNOWN_STATEMENT : info;
        fifo.add(fifo.entry(Op.DESCRIBE, groupRun(f, null), info, null));
    }

    private void onExecute(PgFrame f, Execute x) {
        if (x == null) {
            counters.increment(PgEvent.PROTOCOL_VIOLATION_BODY);
            return;
        }
        if (discardUntilSync) {
            return;
        }
        StatementInfo info = known(catalog().portal(x.portal()));
        PgRun run = groupRun(f, info);
        group = null; // the next message starts a new group
        fifo.add(fifo.entry(Op.EXECUTE, run, info, null));
    }

    private void onCloseTarget(PgFrame f, Target t) {
        if (t == null) {
            counters.increment(PgEvent.PROTOCOL_VIOLATION_BODY);
            return;
        }
        if (discardUntilSync) {
            return;
        }
        if (t.kind() == Target.STATEMENT) {
            catalog().removeStatement(t.name());
        } else {
            catalog().removePortal(t.name());
        }
        fifo.add(Entry.CLOSE);
    }

    private void onSync() {
        discardUntilSync = false;
        group = null; // Parse/Bind without Execute: prepared only, no record unless it fails
        fifo.add(Entry.SYNC);
    }

    /** A fastpath call is a statement of its own, answered by FunctionCallResponse or ErrorResponse. */
    private void onFunctionCall(PgFrame f, FunctionCall call) {
        if (call == null) {
            counters.increment(PgEvent.PROTOCOL_VIOLATION_BODY);
            return;
        }
        counters.increment(PgEvent.FUNCTION_CALLS);
        StatementInfo info = records.functionCall(call.functionOid());
        PgRun run = new PgRun(info);
        run.request(f);
        fifo.add(new Entry(Op.FUNCTION_CALL, run, info, null, null));
    }

    private void onClientCopy(PgFrame f) {
        if (f.type == PgWire.F_COPY_DATA) {
            counters.increment(PgEvent.COPY_DATA_MESSAGES);
        }
        PgRun run = fifo.currentRun();
        if (run != null) {
            run.addRequestBytes(f.wireBytes); // COPY FROM STDIN data is part of the statement's request
        }
    }

    private PgRun groupRun(PgFrame f, StatementInfo info) {
        if (group == null) {
            group = spareRun != null ? spareRun : new PgRun(info);
            if (spareRun != null) {
                spareRun = null;
                group.reset(info);
            }
        }
        if (info != null) {
            group.statement(info);
        }
        group.request(f);
        return group;
    }

    private StatementInfo known(StatementInfo info) {
        if (info == null) {
            counters.increment(PgEvent.UNKNOWN_PREPARED_STATEMENT);
            return PgRecords.PREPARE_NOT_SEEN;
        }
        return info;
    }

    // ---- server side ---------------------------------------------------------------------------------------

    void onServer(PgFrame f, PgReader r) {
        if (salvage.active() && salvage.onServer(f, r)) {
            return;
        }
        r.reset(f);
        if (answersOfLostRequests && fifo.head() == null && beginsAnAnswer(f, r)) {
            fifo.addAnswerOfLostRequest();
            counters.increment(PgEvent.ANSWER_OF_LOST_REQUEST);
            r.reset(f);
        }
        switch (f.type) {
            case PgWire.B_DATA_ROW -> onDataRow(f);
            case PgWire.B_COMMAND_COMPLETE -> {
                String tag = CommandComplete.tag(r);
                if (tag == null) {
                    counters.increment(PgEvent.PROTOCOL_VIOLATION_BODY);
                }
                onCompletion(f, tag);
            }
            case PgWire.B_EMPTY_QUERY, PgWire.B_PORTAL_SUSPENDED -> onCompletion(f, null);
            case PgWire.B_ROW_DESCRIPTION, PgWire.B_NO_DATA, PgWire.B_PARAMETER_DESCRIPTION -> onDescription(f);
            case PgWire.B_PARSE_COMPLETE -> popIf(f, Op.PARSE);
            case PgWire.B_BIND_COMPLETE -> popIf(f, Op.BIND);
            case PgWire.B_CLOSE_COMPLETE -> popIf(f, Op.CLOSE);
            case PgWire.B_ERROR_RESPONSE -> onError(f, ErrorResponse.decode(r));
            case PgWire.B_READY_FOR_QUERY -> {
                if (fifo.ready()) {
                    salvage.ready();
                } else {
                    salvage.outOfStep(); // a ReadyForQuery that closed nothing in step: pairing is not proved
                }
            }
            case PgWire.B_FUNCTION_CALL_RESPONSE -> onFunctionResult(f);
            case PgWire.B_COPY_IN_RESPONSE, PgWire.B_COPY_OUT_RESPONSE, PgWire.B_COPY_BOTH_RESPONSE,
                    PgWire.B_COPY_DATA, PgWire.B_COPY_DONE -> onServerCopy(f);
            default -> { } // notices, notifications, function call results: not part of a statement
        }
    }

    private void onDataRow(PgFrame f) {
        counters.increment(PgEvent.DATA_ROWS);
        PgRun run = fifo.currentRun();
        if (run != null) {
            run.dataRows++;
            run.response(f);
            if (scan.on()) {
                scan.postgresDataRow(f.body, f.kept, f.declaredLength, run, run.dataRows);
            }
        }
    }

    private void onDescription(PgFrame f) {
        PgRun run = fifo.currentRun();
        if (run == null) {
            return;
        }
        run.response(f);
        if (f.type == PgWire.B_ROW_DESCRIPTION) {
            run.rowDescription = true;
        }
        Entry head = fifo.head();
        if (head.op == Op.DESCRIBE && f.type != PgWire.B_PARAMETER_DESCRIPTION) {
            fifo.pop(); // RowDescription or NoData ends a Describe
            fifo.recycle(head);
        }
    }

    private void onServerCopy(PgFrame f) {
        PgRun run = fifo.currentRun();
        if (f.type == PgWire.B_COPY_DATA) {
            counters.increment(PgEvent.COPY_DATA_MESSAGES);
        }
        if (run == null) {
            return;
        }
        run.response(f);
        if (f.type == PgWire.B_COPY_IN_RESPONSE) {
            run.copyIn = true;
        } else if (f.type == PgWire.B_COPY_OUT_RESPONSE || f.type == PgWire.B_COPY_BOTH_RESPONSE) {
            run.copyOut = true;
            // Overall format 0 (text): one CopyData per row. Only CopyOutResponse's body is kept.
            run.copyOutText = f.type == PgWire.B_COPY_OUT_RESPONSE && f.kept >= 1 && f.body[0] == 0;
        } else if (f.type == PgWire.B_COPY_DATA && run.copyOut) {
            run.copyOutRows++;
        }
    }

    private void popIf(PgFrame f, Op op) {
        Entry head = fifo.head();
        if (head == null || head.op != op) {
            counters.increment(PgEvent.UNMATCHED_RESPONSE);
            return;
        }
        fifo.pop();
        if (head.run != null) {
            head.run.response(f);
        }
        fifo.recycle(head);
    }

    private void onFunctionResult(PgFrame f) {
        Entry head = fifo.head();
        if (head == null || head.op != Op.FUNCTION_CALL || head.run.done()) {
            counters.increment(PgEvent.UNMATCHED_RESPONSE);
            return;
        }
        head.run.response(f);
        records.statement(head.run, head.info, RecordStatus.OK, null, null);
    }

    /** CommandComplete (tag), EmptyQueryResponse or PortalSuspended (null tag). */
    private void onCompletion(PgFrame f, String tag) {
        Entry head = fifo.head();
        if (head != null && head.op == Op.QUERY && !head.aborted) {
            PgRun run = fifo.currentRun();
            run.response(f);
            records.statement(run, run.statement(), RecordStatus.OK, null, tag);
            head.index++;
        } else if (head != null && head.op == Op.EXECUTE) {
            fifo.pop();
            head.run.response(f);
            records.statement(head.run, head.info, RecordStatus.OK, null, tag);
            if (head.run.done() && head.run != group) {
                spareRun = head.run; // the entries of its group left the FIFO before this Execute did
            }
            fifo.recycle(head);
        } else {
            counters.increment(PgEvent.UNMATCHED_RESPONSE);
        }
    }

    /**
     * Simple Query: the failing statement gets the error; the rest of the string is skipped by the server and
     * gets no record. Extended: the failing message's statement gets the error; the server discards every
     * message up to Sync, so those entries are dropped without records.
     */
    private void onError(PgFrame f, ErrorResponse err) {
        if (err == null) {
            counters.increment(PgEvent.PROTOCOL_VIOLATION_BODY);
        }
        ErrorInfo error = err == null ? new ErrorInfo(null, null) : new ErrorInfo(err.code(), err.message());
        Entry head = fifo.head();
        if (head == null || head.op == Op.SYNC || (head.op == Op.QUERY && head.aborted)) {
            counters.increment(PgEvent.UNMATCHED_RESPONSE); // e.g. FATAL on shutdown, error at Sync's commit
            return;
        }
        if (head.op == Op.FUNCTION_CALL) {
            head.run.response(f);
            records.statement(head.run, head.info, RecordStatus.ERROR, error, null); // once: guarded by done
            return; // its own ReadyForQuery follows; nothing to discard
        }
        if (head.op == Op.QUERY) {
            PgRun run = fifo.currentRun();
            run.response(f);
            records.statement(run, run.statement(), RecordStatus.ERROR, error, null);
            head.aborted = true;
            return;
        }
        if (head.run != null && !head.run.done()) {
            head.run.response(f);
            records.statement(head.run, head.info, RecordStatus.ERROR, error, null);
        }
        if (head.op == Op.PARSE) {
            catalog().removeStatement(head.name); // the server did not create it
        }
        if (!fifo.discardUntilSync()) {
            discardUntilSync = true; // Sync not sent yet: the server ignores what comes before it
            group = null;
        }
    }

    // ---- loss ----------------------------------------------------------------------------------------------

    /**
     * A message that only an answer to a statement begins with. Not ParseComplete/BindComplete/NoData (a lost
     * Parse or Describe alone makes no statement), not notices or parameter changes (sent at any time), not a
     * FATAL or PANIC error (the server ending the session answers no request).
     */
    private static boolean beginsAnAnswer(PgFrame f, PgReader r) {
        switch (f.type) {
            case PgWire.B_ROW_DESCRIPTION, PgWire.B_DATA_ROW, PgWire.B_COMMAND_COMPLETE, PgWire.B_EMPTY_QUERY,
                    PgWire.B_COPY_IN_RESPONSE, PgWire.B_COPY_OUT_RESPONSE:
                return true;
            case PgWire.B_ERROR_RESPONSE:
                ErrorResponse e = ErrorResponse.decode(r);
                return e != null && "ERROR".equals(e.severity());
            default:
                return false;
        }
    }

    /** Nothing in flight and the server in step: a client hole now can only have held new requests. */
    boolean quietInStep() {
        return fifo.head() == null && group == null && !discardUntilSync && !salvage.active() && salvage.inStep();
    }

    /** The client's hole came while {@link #quietInStep()}: the next answer the server begins is the lost one's. */
    void expectAnswersOfLostRequests() {
        answersOfLostRequests = true;
    }

    /**
     * A hole is being handled ({@code hole}, in the server's direction or the client's): returns true when the one
     * statement in flight is carried across it to take its rows from the tag ({@link PgTagSalvage}); false when
     * the caller flushes as usual.
     */
    boolean carryThroughGap(GapInfo hole, boolean inServer) {
        return salvage.carry(hole, inServer, group == null && !discardUntilSync, scan.on());
    }

    /** A gap or the end of the connection: every statement still waiting is emitted incomplete, once. */
    void flushIncomplete() {
        answersOfLostRequests = false;
        salvage.abandon();
        salvage.outOfStep();
        fifo.flushIncomplete();
        group = null;
        discardUntilSync = false;
    }

    /** The connection's memory account: the prepared-statement catalog draws from it. */
    void chargeTo(MemoryAccount account) {
        memory = account;
        if (catalog != null) {
            catalog.chargeTo(account);
        }
    }

    private StatementCatalog catalog() {
        if (catalog == null) {
            catalog = new StatementCatalog(counters);
            catalog.chargeTo(memory);
        }
        return catalog;
    }

    /** A quiet connection: an empty in-flight FIFO lets its array go. */
    void trimIdle() {
        fifo.trimIdle();
    }
}
