package io.dbwire.core.protocol.postgres;

import io.dbwire.core.protocol.postgres.PgInFlight.Entry;
import io.dbwire.core.protocol.postgres.PgInFlight.Op;
import io.dbwire.core.protocol.postgres.PgServerMessage.CommandComplete;
import io.dbwire.core.record.GapInfo;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.util.ReasonCounters;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Carries one statement across a hole inside its own answer (DataRows, COPY OUT data) or inside its COPY FROM
 * STDIN data, and takes its rows from the server's CommandComplete tag (docs/reassembly.md, "Rows from the tag").
 * Only where the tag provably belongs to it:
 * <ul>
 *   <li>it is the only request in flight (a one-statement simple Query, nothing queued behind it), its answer
 *       had begun (RowDescription, CopyOutResponse in text format, CopyInResponse) and no sensitive-data scan
 *       needs its rows;</li>
 *   <li>after the hole only its own kind of message follows (DataRow / CopyData / CopyDone from the server for a
 *       result, CopyData / CopyDone from the client for COPY FROM), then a CommandComplete whose verb is the
 *       statement's operation and whose count is at least the rows already seen, then a ReadyForQuery: a
 *       type-and-length chain the framer confirmed;</li>
 *   <li>nothing else happens meanwhile: no desync, no other message in either direction, no hole on the other
 *       side. The client sends its next request only after the ReadyForQuery, and the reassembly delivers a lost
 *       request (as a hole) before any answer that acknowledges it, so no other statement's answer can be in
 *       between. More holes on the same side before the tag are crossed the same way (their bytes summed): with
 *       no client byte unaccounted for, only this statement can be answering.</li>
 * </ul>
 * Anything else abandons the carry: the statement is emitted {@code incomplete} with the hole, exactly as it would
 * have been at the hole (the frames seen since were not added to it).
 */
final class PgTagSalvage {
    private final PgInFlight fifo;
    private final PgRecords records;
    private final ReasonCounters<PgEvent> counters;

    /** The carried simple Query, or null. */
    private Entry entry;
    private PgRun run;
    /** The holes crossed so far, summed per direction (all on {@link #serverHole}'s side). */
    private GapInfo hole;
    private boolean serverHole;
    /** Bytes and messages of the carried exchange seen after the hole, added only if the carry succeeds. */
    private long serverBytesAfter;
    private long clientBytesAfter;
    private long rowsAfter;
    /** The CommandComplete's tag once seen (waiting for ReadyForQuery), else null. */
    private String tag;
    private long tagFirstTs;
    private long tagLastTs;
    private long tagBytes;

    PgTagSalvage(PgInFlight fifo, PgRecords records, ReasonCounters<PgEvent> counters) {
        this.fifo = fifo;
        this.records = records;
        this.counters = counters;
    }

    boolean active() {
        return entry != null;
    }

    /**
     * A hole is being handled: returns true when the one statement in flight is carried across it (nothing is
     * emitted now), false when the caller flushes as usual.
     */
    boolean carry(GapInfo gap, boolean inServer, boolean queueClear, boolean scanning) {
        if (active()) {
            if (gap != null && inServer == serverHole && tag == null) {
                hole = new GapInfo(hole.clientBytes() + gap.clientBytes(), hole.serverBytes() + gap.serverBytes());
                return true; // one more hole in the same stream: only this statement can still answer
            }
            abandon(); // a hole on the other side, or after the tag: nothing can be proved
            return false;
        }
        Entry head = fifo.head();
        if (gap == null || head == null || !queueClear || scanning || fifo.last() != head || head.op != Op.QUERY
                || head.aborted || head.index != 0 || head.runs.size() != 1) {
            return false;
        }
        PgRun r = head.runs.get(0);
        if (r.done() || !r.hasResponse() || !carriable(r, inServer)) {
            return false;
        }
        entry = head;
        run = r;
        hole = gap;
        serverHole = inServer;
        serverBytesAfter = 0;
        clientBytesAfter = 0;
        rowsAfter = 0;
        tag = null;
        return true;
    }

    private boolean carriable(PgRun r, boolean inServer) {
        if (!inServer) {
            return r.copyIn && !r.copyOut && !r.rowDescription; // waiting for the client's data
        }
        if (r.copyIn) {
            return false;
        }
        if (r.copyOut) {
            return r.copyOutText && noHeaderLine(r.statement());
        }
        return r.rowDescription;
    }

    /**
     * COPY TO with HEADER sends its header line as one more CopyData than the tag counts; the whole text must be
     * there to rule it out (a cut text might have lost the option).
     */
    private boolean noHeaderLine(StatementInfo info) {
        String text = info == null ? null : info.text();
        return text != null && text.getBytes(StandardCharsets.UTF_8).length + 8 < records.maxStatementBytes()
                && !text.toLowerCase(Locale.ROOT).contains("header");
    }

    /** A client message while carrying: COPY FROM data after a client hole is taken; anything else ends it. */
    boolean onClient(PgFrame f) {
        boolean copyData = f.type == PgWire.F_COPY_DATA || f.type == PgWire.F_COPY_DONE;
        if (!serverHole && tag == null && copyData) {
            if (f.type == PgWire.F_COPY_DATA) {
                counters.increment(PgEvent.COPY_DATA_MESSAGES);
            }
            clientBytesAfter += f.wireBytes;
            return true;
        }
        abandon();
        return false;
    }

    /** A server message while carrying: returns true when taken, false (after abandoning) to handle it as usual. */
    boolean onServer(PgFrame f, PgReader r) {
        if (tag != null) {
            if (f.type == PgWire.B_READY_FOR_QUERY) {
                complete();
                return false; // ReadyForQuery then ends the Query as usual
            }
        } else if (f.type == PgWire.B_COMMAND_COMPLETE) {
            CommandComplete c = CommandComplete.decode(r);
            if (c != null && tagFits(c.tag())) {
                tag = c.tag();
                tagFirstTs = f.firstTs;
                tagLastTs = f.lastTs;
                tagBytes = f.wireBytes;
                return true;
            }
        } else if (serverHole && takesRowMessage(f)) {
            return true;
        }
        abandon();
        return false;
    }

    private boolean takesRowMessage(PgFrame f) {
        if (!run.copyOut && f.type == PgWire.B_DATA_ROW) {
            counters.increment(PgEvent.DATA_ROWS);
            rowsAfter++;
        } else if (run.copyOut && f.type == PgWire.B_COPY_DATA) {
            counters.increment(PgEvent.COPY_DATA_MESSAGES);
            rowsAfter++;
        } else if (!(run.copyOut && f.type == PgWire.B_COPY_DONE)) {
            return false;
        }
        serverBytesAfter += f.wireBytes;
        return true;
    }

    /** The tag names the statement's own operation and counts at least every row already seen. */
    private boolean tagFits(String t) {
        String verb = CommandTag.operation(t);
        String operation = run.statement() == null ? null : run.statement().operation();
        if (verb == null || !verb.equals(operation)) {
            return false;
        }
        Long rows;
        long seen;
        if (run.copyIn || run.copyOut) {
            rows = "COPY".equals(verb) ? CommandTag.rowsAffected(t) : null;
            seen = run.copyOutRows + rowsAfter;
        } else {
            rows = "SELECT".equals(verb) || "FETCH".equals(verb) ? CommandTag.rowsReturned(t) : null;
            seen = run.dataRows + rowsAfter;
        }
        return rows != null && rows >= seen;
    }

    private void complete() {
        PgRun r = run;
        String t = tag;
        GapInfo h = hole;
        Entry e = entry;
        clear();
        r.rowsFromTag = true;
        r.addRequestBytes(clientBytesAfter + h.clientBytes());
        r.response(tagFirstTs, tagLastTs, serverBytesAfter + tagBytes + h.serverBytes());
        records.underGap(h, () -> records.statement(r, r.statement(), RecordStatus.OK, null, t));
        e.index++;
        counters.increment(PgEvent.ROWS_FROM_TAG_AFTER_GAP);
    }

    /** Nothing proves the tag is this statement's: it is incomplete, with the hole, as without the carry. */
    void abandon() {
        if (!active()) {
            return;
        }
        GapInfo h = hole;
        clear();
        records.underGap(h, fifo::flushIncomplete);
    }

    private void clear() {
        entry = null;
        run = null;
        hole = null;
        tag = null;
    }
}
