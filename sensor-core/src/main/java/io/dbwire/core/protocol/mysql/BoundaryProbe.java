package io.dbwire.core.protocol.mysql;

import io.dbwire.core.util.ReasonCounters;
import java.util.Arrays;

/**
 * Finds a packet boundary in a direction that lost alignment (mid-stream start, gap, absurd length). MySQL
 * headers carry no type byte, so one header proves little: bytes are collected in a bounded window and a
 * candidate offset is trusted only when {@link #CONFIRM_PACKETS} consecutive headers chain by length (within
 * {@code maxMessageBytes}) and sequence id (the next id, or a new exchange: 0 from a client, 1 from a server), or
 * when its chain ends exactly where the delivered data ends (the peer waits for an answer), it starts like a
 * command or an answer, and no earlier plausible candidate is still undecided. A window with nothing trustworthy
 * is given up and counted.
 */
final class BoundaryProbe {
    static final int CONFIRM_PACKETS = 3;
    static final int PROBE_CAP = 64 * 1024;
    private static final int MIN_WINDOW = 256;

    private final boolean client;
    private final int maxMessageBytes;
    private final ReasonCounters<MySqlEvent> counters;
    private byte[] probe;
    private int probeFill;
    private int scanFrom;

    BoundaryProbe(boolean client, int maxMessageBytes, ReasonCounters<MySqlEvent> counters) {
        this.client = client;
        this.maxMessageBytes = maxMessageBytes;
        this.counters = counters;
    }

    void reset() {
        probeFill = 0;
        scanFrom = 0;
    }

    /** Gives up the bytes collected so far (counted): the next byte starts a new window. */
    void discard() {
        counters.add(MySqlEvent.RESYNC_SKIPPED_BYTES, probeFill);
        reset();
    }

    /** CONFIRMED: a chain of {@link #CONFIRM_PACKETS}; ENDS_AT_DATA: a shorter chain ending where the data ends. */
    private enum Verdict { CONFIRMED, ENDS_AT_DATA, REJECT, UNDECIDED }

    /** Appends delivered bytes to the window; returns how many were taken (the rest waits for the next call). */
    int offer(byte[] in, int pos, int end) {
        int n = Math.min(end - pos, PROBE_CAP - probeFill);
        // The window grows with the bytes that arrived (a resync usually needs a few hundred), not to its cap at
        // once: every connection picked up mid-stream probes, and a 64 KiB array each ran a 512 MiB heap out.
        if (probe == null || probe.length < probeFill + n) {
            int grown = Math.max(probeFill + n, probe == null ? MIN_WINDOW : 2 * probe.length);
            int size = Math.min(PROBE_CAP, Math.max(MIN_WINDOW, grown));
            probe = probe == null ? new byte[size] : Arrays.copyOf(probe, size);
        }
        System.arraycopy(in, pos, probe, probeFill, n);
        probeFill += n;
        return n;
    }

    /** The trusted boundary's offset in the window, or -1 (bytes given up meanwhile are counted here). */
    int find() {
        boolean full = probeFill == PROBE_CAP;
        int blocking = -1;
        for (int c = scanFrom; c + MySqlWire.HEADER <= probeFill; c++) {
            Verdict v = chain(c);
            if (v == Verdict.UNDECIDED && full) {
                v = Verdict.REJECT;
            }
            // A chain ending with the data is trusted only if no plausible earlier candidate is still open; a
            // confirmed chain of several packets is trusted regardless.
            if (v == Verdict.CONFIRMED || (v == Verdict.ENDS_AT_DATA && blocking < 0 && plausibleStart(c))) {
                return c;
            }
            if (v != Verdict.REJECT && blocking < 0 && plausibleStart(c)) {
                blocking = c;
            }
        }
        if (full) { // nothing trustworthy in a whole window: give it up, keep the last few bytes
            int keepTail = MySqlWire.HEADER - 1;
            counters.add(MySqlEvent.RESYNC_SKIPPED_BYTES, probeFill - keepTail);
            System.arraycopy(probe, probeFill - keepTail, probe, 0, keepTail);
            probeFill = keepTail;
            scanFrom = 0;
        } else {
            scanFrom = blocking >= 0 ? blocking : scanFrom;
        }
        return -1;
    }

    /** The window's bytes from the boundary on, to be framed again; the window is emptied. */
    byte[] takeFrom(int c) {
        byte[] rest = Arrays.copyOfRange(probe, c, probeFill);
        reset();
        probe = null; // aligned: the window is not needed until the next loss of alignment
        return rest;
    }

    /** Walks headers from {@code c}: lengths sane, sequence ids chaining (or restarting a new exchange). */
    private Verdict chain(int c) {
        int at = c;
        int count = 0;
        int prev = -1;
        while (true) {
            if (at == probeFill && count > 0) {
                return Verdict.ENDS_AT_DATA;
            }
            if (at + MySqlWire.HEADER > probeFill) {
                return Verdict.UNDECIDED;
            }
            int len = MySqlWire.int3(probe, at);
            int seq = probe[at + 3] & 0xff;
            if ((count == 0 && len == 0) || len > maxMessageBytes || len == MySqlWire.MAX_PAYLOAD) {
                return Verdict.REJECT;
            }
            if (count > 0 && seq != ((prev + 1) & 0xff) && seq != (client ? 0 : 1)) {
                return Verdict.REJECT;
            }
            long next = (long) at + MySqlWire.HEADER + len;
            if (next > (long) c + PROBE_CAP) {
                return Verdict.REJECT;
            }
            if (next > probeFill) {
                return Verdict.UNDECIDED;
            }
            count++;
            prev = seq;
            at = (int) next;
            if (count >= CONFIRM_PACKETS) {
                return Verdict.CONFIRMED;
            }
        }
    }

    /**
     * Could a packet start here? Client: sequence 0 and a command byte whose payload length fits the command.
     * Server: any sequence but 0 (answers continue the command's sequence; a wrap past 255 is rare).
     */
    private boolean plausibleStart(int c) {
        if (c + MySqlWire.HEADER >= probeFill) {
            return false;
        }
        int len = MySqlWire.int3(probe, c);
        int seq = probe[c + 3] & 0xff;
        if (!client) {
            return seq != 0;
        }
        return seq == 0 && commandFits(probe[c + MySqlWire.HEADER] & 0xff, len);
    }

    private static boolean commandFits(int command, int len) {
        return switch (command) {
            case MySqlWire.COM_QUIT, MySqlWire.COM_PING, MySqlWire.COM_STATISTICS, MySqlWire.COM_RESET_CONNECTION,
                    MySqlWire.COM_DEBUG -> len == 1;
            case MySqlWire.COM_STMT_CLOSE, MySqlWire.COM_STMT_RESET, MySqlWire.COM_PROCESS_KILL -> len == 5;
            case MySqlWire.COM_SET_OPTION -> len == 3;
            case MySqlWire.COM_STMT_FETCH -> len == 9;
            case MySqlWire.COM_QUERY, MySqlWire.COM_INIT_DB, MySqlWire.COM_STMT_PREPARE, MySqlWire.COM_FIELD_LIST ->
                    len >= 2;
            case MySqlWire.COM_STMT_EXECUTE -> len >= 10; // command, id 4, flags 1, iteration count 4
            case MySqlWire.COM_STMT_SEND_LONG_DATA -> len >= 7; // command, id 4, parameter 2, data
            case MySqlWire.COM_CHANGE_USER, MySqlWire.COM_BINLOG_DUMP, MySqlWire.COM_BINLOG_DUMP_GTID,
                    MySqlWire.COM_REGISTER_SLAVE, MySqlWire.COM_STMT_BULK_EXECUTE -> len >= 5;
            default -> false;
        };
    }
}
