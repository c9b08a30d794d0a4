package io.dbwire.core.protocol.postgres;

import io.dbwire.core.protocol.session.InFlight;
import io.dbwire.core.protocol.session.SessionCounters;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.util.ReasonCounters;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * PostgreSQL's rules over the shared {@link InFlight} FIFO: which entry a server message answers, what
 * ReadyForQuery and an extended-protocol error end. Whatever leaves the FIFO without its completion is emitted
 * incomplete here, exactly once (a run's {@code done} flag guards every emission).
 */
final class PgInFlight {
    static final int MAX_IN_FLIGHT = 1024;

    enum Op { QUERY, PARSE, BIND, DESCRIBE, EXECUTE, CLOSE, SYNC, FUNCTION_CALL }

    static final class Entry {
        /**
         * Sync and Close carry nothing of their own and are never changed (index and aborted are a QUERY's), so
         * every connection shares these two instead of allocating one per message.
         */
        static final Entry SYNC = new Entry(Op.SYNC, null, null, null, null);
        static final Entry CLOSE = new Entry(Op.CLOSE, null, null, null, null);

        Op op;
        /** Extended protocol: the group's run; null for QUERY, CLOSE, SYNC. */
        PgRun run;
        /** The statement this message refers to (for its error record). */
        StatementInfo info;
        /** PARSE: statement name; otherwise unused. */
        String name;
        /** QUERY: one run per statement of the split text. */
        List<PgRun> runs;
        /** QUERY: the statement the server is answering. */
        int index;
        /** QUERY: an error ended the batch; the server skips the rest. */
        boolean aborted;
        /**
         * QUERY: stands for requests the mirror lost, answered after the hole: one run (text unknown) per result
         * the server sends, up to its ReadyForQuery (see {@link PgInFlight#addAnswerOfLostRequest}).
         */
        boolean lostRequest;

        Entry(Op op, PgRun run, StatementInfo info, String name, List<PgRun> runs) {
            this.op = op;
            this.run = run;
            this.info = info;
            this.name = name;
            this.runs = runs;
        }

        /**
         * Makes a spare entry a fresh one (see {@link PgInFlight#entry}): every field as the constructor leaves it.
         * A field added here must be reset here too: PgEntryReuseTest sets every field and checks.
         */
        void reuse(Op op, PgRun run, StatementInfo info, String name) {
            this.op = op;
            this.run = run;
            this.info = info;
            this.name = name;
            this.runs = null;
            this.index = 0;
            this.aborted = false;
            this.lostRequest = false;
        }

        /**
         * Makes the spare QUERY entry of a one-statement Query a fresh one holding {@code run}: as {@link #reuse},
         * its own runs list emptied and given the run (PgEntryReuseTest checks it against a new entry).
         */
        void reuseAsQuery(PgRun run) {
            List<PgRun> list = runs;
            reuse(Op.QUERY, null, null, null);
            list.clear();
            list.add(run);
            runs = list;
        }
    }

    /**
     * Spare extended-protocol entries (PARSE, BIND, DESCRIBE, EXECUTE) that left the FIFO answered: a prepared
     * statement's Bind/Describe/Execute take them instead of allocating three entries per statement.
     */
    private static final int SPARE_ENTRIES = 8;
    /** Made with the first recycled entry; let go (with its entries) when the connection goes quiet. */
    private Entry[] spare;
    private int spares;
    /** One-statement simple Query entries answered in step, shared by the engine's connections. */
    private final PgSpareQueries spareQueries;

    private final InFlight<Entry> fifo;
    private final PgRecords records;
    private final ReasonCounters<PgEvent> counters;

    /** A FIFO with spare Query entries of its own (tests). */
    PgInFlight(PgRecords records, SessionCounters<PgEvent> counters) {
        this(records, counters, new PgSpareQueries());
    }

    PgInFlight(PgRecords records, SessionCounters<PgEvent> counters, PgSpareQueries spareQueries) {
        this.spareQueries = spareQueries;
        this.records = records;
        this.counters = counters.reasons();
        this.fifo = new InFlight<>(MAX_IN_FLIGHT, counters, this::incomplete);
    }

    Entry head() {
        return fifo.head();
    }

    /** The newest entry, or null. */
    Entry last() {
        return fifo.isEmpty() ? null : fifo.last();
    }

    /** The head is an Execute and the only other request in flight is the Sync after it. */
    boolean executeThenSync() {
        Iterator<Entry> it = fifo.iterator();
        return it.hasNext() && it.next().op == Op.EXECUTE && it.hasNext() && it.next().op == Op.SYNC && !it.hasNext();
    }

    void pop() {
        fifo.pop();
    }

    /** A quiet connection keeps no spare entries and, with nothing in flight, no FIFO array. */
    void trimIdle() {
        spare = null;
        spares = 0;
        fifo.trim();
    }

    void add(Entry e) {
        fifo.add(e);
    }

    /**
     * The server began an answer while nothing was in flight, right after the client's hole: the answer is the
     * lost request's. Its results become records of statements whose text is unknown (operation from the tag).
     */
    void addAnswerOfLostRequest() {
        Entry e = new Entry(Op.QUERY, null, null, null, new ArrayList<>(2));
        e.lostRequest = true;
        fifo.add(e);
    }

    /** An extended-protocol entry, a spare one when there is one. */
    Entry entry(Op op, PgRun run, StatementInfo info, String name) {
        if (spares == 0) {
            return new Entry(op, run, info, name, null);
        }
        Entry e = spare[--spares];
        spare[spares] = null;
        e.reuse(op, run, info, name);
        return e;
    }

    /**
     * The entry of a simple Query of one statement ({@code info}) sent in {@code request}: a spare one with its
     * run when the engine has one. The run gets the request's times and bytes, as RecordEmitter.statementRuns gives them.
     */
    Entry queryEntry(StatementInfo info, PgFrame request) {
        Entry e = spareQueries.take();
        PgRun run;
        if (e == null) {
            run = new PgRun(info);
            List<PgRun> runs = new ArrayList<>(1);
            runs.add(run);
            e = new Entry(Op.QUERY, null, null, null, runs);
        } else {
            run = e.runs.get(0);
            run.reset(info);
            e.reuseAsQuery(run);
        }
        run.requestTimes(request.firstTs, request.lastTs);
        run.addRequestBytes(request.wireBytes);
        return e;
    }

    /**
     * A QUERY entry that ReadyForQuery closed in step: when it held one statement whose record is emitted, nothing
     * refers to it or its run any more (the tag salvage is never carrying when ReadyForQuery is paired), so it
     * becomes a spare of the engine.
     */
    private void recycleQuery(Entry e) {
        if (!e.lostRequest && e.runs.size() == 1 && e.runs.get(0).done()) {
            spareQueries.give(e);
        }
    }

    /**
     * {@code e} left the FIFO answered and the caller is done with it: nothing else refers to it (the tag salvage
     * holds only QUERY entries; SYNC and CLOSE are shared constants and never come back here).
     */
    void recycle(Entry e) {
        if (spare == null) {
            spare = new Entry[SPARE_ENTRIES];
        }
        if (spares < SPARE_ENTRIES && e != Entry.SYNC && e != Entry.CLOSE && e.op != Op.QUERY
                && e.op != Op.FUNCTION_CALL) {
            e.run = null; // a spare must not keep a finished statement alive
            e.info = null;
            e.name = null;
            spare[spares++] = e;
        }
    }

    /** The run the server is answering now, or null when no statement is being answered. */
    PgRun currentRun() {
        Entry head = fifo.head();
        if (head == null) {
            return null;
        }
        if (head.op == Op.QUERY) {
            if (head.aborted) {
                return null;
            }
            if (head.lostRequest && head.index >= head.runs.size()) { // the next result of the lost request
                PgRun unseen = new PgRun(PgRecords.REQUEST_NOT_SEEN);
                unseen.requestLost();
                head.runs.add(unseen);
            }
            if (head.index >= head.runs.size()) { // more results than split() found statements
                counters.increment(PgEvent.STATEMENT_PAIRING_MISMATCH);
                PgRun extra = new PgRun(PgRecords.UNKNOWN_STATEMENT);
                if (!head.runs.isEmpty()) {
                    extra.requestTimes(head.runs.get(0).requestFirstTs(), head.runs.get(0).requestLastTs());
                }
                head.runs.add(extra);
            }
            return head.runs.get(head.index);
        }
        return head.op == Op.EXECUTE || head.op == Op.DESCRIBE || head.op == Op.FUNCTION_CALL ? head.run : null;
    }

    /**
     * After an extended-protocol error the server discards every message up to Sync: drop those entries
     * without records. Returns false when no Sync is queued yet (the client has not sent it).
     */
    boolean discardUntilSync() {
        while (!fifo.isEmpty() && !terminatedByReady(fifo.head().op)) {
            Entry dropped = fifo.pop();
            if (dropped.run != null) {
                dropped.run.markDone();
            }
        }
        return !fifo.isEmpty();
    }

    /**
     * ReadyForQuery ends a simple Query or everything up to and including a Sync. Returns true when it closed a
     * request in flight in step (every statement of a Query answered): the server has then answered everything
     * sent before the requests still in flight.
     */
    boolean ready() {
        if (!anyTerminator()) {
            return false; // nothing this ReadyForQuery can close (e.g. after a gap emptied the FIFO)
        }
        while (!fifo.isEmpty()) {
            Entry e = fifo.pop();
            if (e.op == Op.SYNC) {
                return true;
            }
            if (e.op == Op.QUERY) {
                if (!e.aborted && e.index < e.runs.size()) {
                    counters.increment(PgEvent.STATEMENT_PAIRING_MISMATCH);
                    return false;
                }
                recycleQuery(e);
                return true;
            }
            if (e.op == Op.FUNCTION_CALL) {
                incomplete(e); // answered by FunctionCallResponse or ErrorResponse before this: already done
                return true;
            }
            incomplete(e); // nothing answered it before the terminator: its answer was lost
        }
        return false;
    }

    /** Whether the FIFO holds a Sync, Query or FunctionCall; the head first, so the usual case needs no iterator. */
    private boolean anyTerminator() {
        Entry head = fifo.head();
        if (head == null) {
            return false;
        }
        if (terminatedByReady(head.op)) {
            return true;
        }
        for (Entry e : fifo) {
            if (terminatedByReady(e.op)) {
                return true;
            }
        }
        return false;
    }

    /** Requests the server ends with their own ReadyForQuery (Sync ends the extended-protocol group). */
    private static boolean terminatedByReady(Op op) {
        return op == Op.SYNC || op == Op.QUERY || op == Op.FUNCTION_CALL;
    }

    /** A gap, a violation or the end of the connection: every statement still waiting is emitted incomplete. */
    void flushIncomplete() {
        fifo.drain(this::incomplete);
    }

    private void incomplete(Entry e) {
        if (e.op == Op.QUERY && !e.aborted) {
            for (int i = e.index; i < e.runs.size(); i++) {
                PgRun run = e.runs.get(i);
                records.statement(run, run.statement(), RecordStatus.INCOMPLETE, null, null);
            }
        } else if (e.op == Op.EXECUTE || e.op == Op.FUNCTION_CALL) {
            records.statement(e.run, e.info, RecordStatus.INCOMPLETE, null, null);
        }
    }
}
