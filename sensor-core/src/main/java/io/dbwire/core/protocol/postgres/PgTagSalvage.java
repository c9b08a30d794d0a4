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
 *   <li>it is the only request in flight (a one-statement simple Query, nothing queued behind it; or an
 *       extended-protocol Execute inside its rows with only its Sync behind it) and no
 *       sensitive-data scan needs its rows. Its answer had begun (RowDescription, CopyOutResponse in text format,
 *       CopyInResponse), or a server hole took its beginning while the server had answered everything before (a
 *       ReadyForQuery in step): then the first message after the hole says which kind of answer it is (DataRow,
 *       CopyData from the server, CopyData from the client);</li>
 *   <li>after the hole only its own kind of message follows (DataRow / CopyData / CopyDone from the server for a
 *       result, CopyData / CopyDone from the client for COPY FROM), then a CommandComplete whose verb is the
 *       statement's operation and whose count is at least the rows already seen, then a ReadyForQuery: a
 *       type-and-length chain the framer confirmed;</li>
 *   <li>nothing else happens meanwhile: no desync, no other message in either direction, no hole on the other
 *       side. The client sends its next request only after the ReadyForQuery, and the reassembly delivers a lost
 *       request (as a hole) before any answer that acknowledges it, so no other statement's answer can be in
 *       between. More holes on the same side before the tag are crossed the same way (their bytes summed): on the
 *       server's side no client byte is unaccounted for, so only this statement can be answering; on the client's
 *       side (COPY FROM data) no server byte was lost, so the server's first tag is still this COPY's.</li>
 * </ul>
 * Anything else abandons the carry: the statement is emitted {@code incomplete} with the hole, exactly as it would
 * have been at the hole (the frames seen since were not added to it).
 */
final class PgTagSalvage {
    /** What the carried statement's answer is, as far as the messages seen tell. */
    private enum Kind {
        /** RowDescription, DataRows: the tag is SELECT n or FETCH n. */
        RESULT,
        /** COPY TO STDOUT in text format, one CopyData per row. */
        COPY_OUT,
        /** COPY FROM STDIN: the client sends the data, the server is silent until the tag. */
        COPY_IN,
        /** A server hole took the answer's first message: the next message decides. */
        UNSEEN
    }

    private final PgInFlight fifo;
    private final PgRecords records;
    private final ReasonCounters<PgEvent> counters;

    /**
     * A ReadyForQuery was seen and nothing was lost or flushed since: the server has answered everything before
     * the requests in flight. Without it an answer whose beginning was lost may be the end of a statement that a
     * hole flushed from the FIFO, still running on the server.
     */
    private boolean inStep;
    /** The carried simple Query, or null. */
    private Entry entry;
    private PgRun run;
    private Kind kind;
    /** The carry began on a hole that took the answer's beginning: its first byte's time is unknown. */
    private boolean answerStartLost;
    /** The holes crossed so far, summed per direction. */
    private GapInfo hole;
    private boolean serverHoles;
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

    /** A ReadyForQuery closed a request sent after the last flush: the server has answered everything before. */
    void ready() {
        inStep = true;
    }

    /** Whether a ReadyForQuery closed a request sent after the last flush, and nothing was lost since. */
    boolean inStep() {
        return inStep;
    }

    /** What was in flight was flushed (a hole, a desync): the server may still be answering a flushed request. */
    void outOfStep() {
        inStep = false;
    }

    /**
     * A hole is being handled: returns true when the one statement in flight is carried across it (nothing is
     * emitted now), false when the caller flushes as usual.
     */
    boolean carry(GapInfo gap, boolean inServer, boolean queueClear, boolean scanning) {
        if (active()) {
            if (gap != null && tag == null && crossesAnother(inServer)) {
                hole = new GapInfo(hole.clientBytes() + gap.clientBytes(), hole.serverBytes() + gap.serverBytes());
                serverHoles |= inServer;
                return true;
            }
            abandon(); // nothing can be proved
            return false;
        }
        Entry head = fifo.head();
        if (gap == null || head == null || !queueClear || scanning) {
            return false;
        }
        PgRun r;
        Kind k;
        if (head.op == Op.QUERY) {
            if (head.lostRequest || fifo.last() != head || head.aborted || head.index != 0 || head.runs.size() != 1) {
                return false;
            }
            r = head.runs.get(0);
            k = r.done() ? null : kindAtHole(r, inServer);
        } else if (head.op == Op.EXECUTE && fifo.executeThenSync()) {
            r = head.run;
            k = r.done() ? null : executeKindAtHole(r, inServer);
        } else {
            return false;
        }
        if (k == null) {
            return false;
        }
        entry = head;
        run = r;
        kind = k;
        answerStartLost = k == Kind.UNSEEN;
        hole = gap;
        serverHoles = inServer;
        serverBytesAfter = 0;
        clientBytesAfter = 0;
        rowsAfter = 0;
        tag = null;
        return true;
    }

    /**
     * One more hole before the tag. On the server's side, while no client byte is unaccounted for (a server
     * answer: a client hole ended the carry), it can only hold this statement's messages. On the client's side
     * only within COPY FROM data and only when no server byte was lost: the server's first tag after it is
     * then still this statement's (the server answers in order), whatever the client's hole held.
     */
    private boolean crossesAnother(boolean inServer) {
        return inServer ? kind != Kind.COPY_IN : kind == Kind.COPY_IN && !serverHoles;
    }

    private Kind kindAtHole(PgRun r, boolean inServer) {
        if (!r.hasResponse()) {
            // A server hole took the answer's beginning (or all of it: then no tag follows and the carry ends).
            return inServer && inStep ? Kind.UNSEEN : null;
        }
        if (!inServer) {
            return r.copyIn && !r.copyOut && !r.rowDescription ? Kind.COPY_IN : null; // waiting for the client's data
        }
        if (r.copyIn) {
            return null;
        }
        if (r.copyOut) {
            return r.copyOutText && noHeaderLine(r.statement()) ? Kind.COPY_OUT : null;
        }
        return r.rowDescription ? Kind.RESULT : null;
    }

    /**
     * An extended-protocol Execute, the only one in flight, followed by nothing but its Sync: everything before it
     * in its group was answered (ParseComplete, BindComplete, the Describe's RowDescription popped them), so the
     * server is answering it. Carried only inside its rows (a RowDescription or a DataRow seen, no COPY): its
     * CommandComplete ends it, the Sync's ReadyForQuery follows.
     */
    private static Kind executeKindAtHole(PgRun r, boolean inServer) {
        boolean rows = r.rowDescription || r.dataRows > 0;
        return inServer && rows && !r.copyIn && !r.copyOut ? Kind.RESULT : null;
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

    /**
     * A COPY TO whose CopyOutResponse was lost: its format is unknown, so the text must rule out the binary format
     * (its file header and trailer are CopyData the tag does not count) as well as a header line.
     */
    private boolean textCopyWithoutHeader(StatementInfo info) {
        return noHeaderLine(info) && !info.text().toLowerCase(Locale.ROOT).contains("binary");
    }

    /** A client message while carrying: COPY FROM data after a client hole is taken; anything else ends it. */
    boolean onClient(PgFrame f) {
        boolean copyData = f.type == PgWire.F_COPY_DATA || f.type == PgWire.F_COPY_DONE;
        if (tag == null && copyData && becomes(Kind.COPY_IN)) {
            if (f.type == PgWire.F_COPY_DATA) {
                counters.increment(PgEvent.COPY_DATA_MESSAGES);
            }
            clientBytesAfter += f.wireBytes;
            return true;
        }
        abandon();
        return false;
    }

    /**
     * The answer is (or, when its beginning was lost, now shows itself to be) of kind {@code k}. A lost beginning
     * becomes COPY FROM only when no other hole was crossed (a server hole before the client's data may also
     * have held the tag of a COPY that ended: see crossesAnother), and COPY TO only for a text-format COPY.
     */
    private boolean becomes(Kind k) {
        if (kind == k) {
            return true;
        }
        if (kind != Kind.UNSEEN) {
            return false;
        }
        boolean fits = switch (k) {
            case RESULT -> true;
            case COPY_OUT -> textCopyWithoutHeader(run.statement());
            case COPY_IN -> true; // only server holes so far (UNSEEN starts on one); crossesAnother allows no more
            default -> false;
        };
        if (fits) {
            kind = k;
        }
        return fits;
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
        } else if (kind != Kind.COPY_IN && takesRowMessage(f)) {
            return true;
        }
        abandon();
        return false;
    }

    private boolean takesRowMessage(PgFrame f) {
        if (f.type == PgWire.B_DATA_ROW && becomes(Kind.RESULT)) {
            counters.increment(PgEvent.DATA_ROWS);
            rowsAfter++;
        } else if (f.type == PgWire.B_COPY_DATA && becomes(Kind.COPY_OUT)) {
            counters.increment(PgEvent.COPY_DATA_MESSAGES);
            rowsAfter++;
        } else if (!(f.type == PgWire.B_COPY_DONE && kind == Kind.COPY_OUT)) {
            return false;
        }
        serverBytesAfter += f.wireBytes;
        return true;
    }

    /**
     * The tag names the statement's own operation and counts at least every row already seen. A tag right after
     * a hole that took the answer's beginning must be a result's: a COPY's would not say in which direction.
     */
    private boolean tagFits(String t) {
        String verb = CommandTag.operation(t);
        StatementInfo info = statementOf(entry, run);
        String operation = info == null ? null : info.operation();
        if (verb == null || !verb.equals(operation)) {
            return false;
        }
        Long rows;
        long seen;
        if (kind == Kind.COPY_IN || kind == Kind.COPY_OUT) {
            rows = "COPY".equals(verb) ? CommandTag.rowsAffected(t) : null;
            seen = run.copyOutRows + rowsAfter;
        } else { // a result, or nothing seen of the answer (a COPY tag then would not tell the COPY's direction)
            rows = "SELECT".equals(verb) || "FETCH".equals(verb) ? CommandTag.rowsReturned(t) : null;
            seen = run.dataRows + rowsAfter;
        }
        if (rows == null || rows < seen) {
            return false;
        }
        kind = kind == Kind.UNSEEN ? Kind.RESULT : kind;
        return true;
    }

    private void complete() {
        PgRun r = run;
        String t = tag;
        GapInfo h = hole;
        Entry e = entry;
        Kind k = kind;
        boolean startLost = answerStartLost;
        clear();
        r.rowsFromTag = true;
        if (k == Kind.COPY_OUT) {
            r.copyOut = true; // the CopyOutResponse may have been in a hole: the rows are the tag's COPY count
        }
        r.addRequestBytes(clientBytesAfter + h.clientBytes());
        r.response(tagFirstTs, tagLastTs, serverBytesAfter + tagBytes + h.serverBytes());
        if (startLost) {
            r.responseStartLost();
        }
        StatementInfo info = statementOf(e, r);
        if (e.op == Op.EXECUTE) {
            fifo.pop(); // as its CommandComplete would; the Sync's ReadyForQuery follows
        } else {
            e.index++;
        }
        records.underGap(h, () -> records.statement(r, info, RecordStatus.OK, null, t));
        counters.increment(PgEvent.ROWS_FROM_TAG_AFTER_GAP);
    }

    /** The statement a record of the run names: an Execute's portal, a Query's split statement. */
    private static StatementInfo statementOf(Entry e, PgRun r) {
        return e.op == Op.EXECUTE ? e.info : r.statement();
    }

    /** Nothing proves the tag is this statement's: it is incomplete, with the holes, as without the carry. */
    void abandon() {
        if (!active()) {
            return;
        }
        GapInfo h = hole;
        clear();
        inStep = false; // the server may still be sending the rest of what is flushed now
        records.underGap(h, fifo::flushIncomplete);
    }

    private void clear() {
        entry = null;
        run = null;
        kind = null;
        answerStartLost = false;
        hole = null;
        tag = null;
    }
}
