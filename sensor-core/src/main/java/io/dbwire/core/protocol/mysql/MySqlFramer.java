package io.dbwire.core.protocol.mysql;

import io.dbwire.core.util.ReasonCounters;
import java.util.Arrays;

/**
 * Frames one direction of a MySQL connection into logical packets: 3-byte length and sequence id per physical
 * packet, payloads of exactly 0xFFFFFF bytes continued by the next packet (the 16 MiB split), every length
 * checked against {@code maxMessageBytes}. Only a bounded prefix of a payload is kept (how much is asked from the
 * {@link Handler} once the first payload byte is known, so result rows cost a few bytes); the rest is skipped
 * by count across calls. After a bad length, a gap, or from the start of a mid-stream connection the direction
 * probes for a boundary: a candidate is only trusted when {@link #CONFIRM_PACKETS} consecutive headers chain by
 * length and sequence id, or when a chain ends exactly where the delivered data ends and its packet looks like a
 * command/answer (the peer is waiting). With compression on, raw bytes pass through a {@link Decompressor} first.
 */
final class MySqlFramer {

    interface Handler {
        void onPacket(MySqlPacket packet);

        /** Bytes of the payload to keep, given its first byte (the session knows what it expects). */
        int keep(int firstByte);

        /** Alignment was lost (oversized length, failed inflate): what was in flight may have lost packets. */
        void onDesync();
    }

    enum State { HEADER, BODY, RESYNC, STOPPED }

    static final int CONFIRM_PACKETS = 3;
    static final int PROBE_CAP = 64 * 1024;
    private static final int RETAINED_BODY_BYTES = 64 * 1024;

    private final boolean client;
    private final int maxMessageBytes;
    private final int keepCap;
    private final ReasonCounters<MySqlEvent> counters;
    private final Handler handler;
    private final MySqlPacket packet = new MySqlPacket();

    private State state;
    private final byte[] header = new byte[MySqlWire.HEADER];
    private int headerFill;
    private byte[] body = new byte[256];
    private int keepLimit;
    /** The handler asked for the whole payload (so a cut is a real truncation, not a choice). */
    private boolean wantAll;
    private int kept;
    private long length;
    private long physicalRemaining;
    private boolean continuing;
    private int lastSeq;
    private int firstSeq;
    private long wire;
    private long firstTs;

    private byte[] probe;
    private int probeFill;
    private int scanFrom;

    private Decompressor decompressor;

    MySqlFramer(boolean client, boolean resync, int maxMessageBytes, int keepCap,
            ReasonCounters<MySqlEvent> counters, Handler handler) {
        this.client = client;
        this.maxMessageBytes = Math.max(0, maxMessageBytes);
        this.keepCap = Math.max(64, keepCap);
        this.counters = counters;
        this.handler = handler;
        this.state = State.HEADER;
        if (resync) {
            enterResync();
        }
    }

    State state() {
        return state;
    }

    void stop() {
        state = State.STOPPED;
    }

    /** CLIENT_COMPRESS took effect: every further byte of this direction is a compressed packet. */
    void startCompression() {
        if (decompressor == null) {
            decompressor = new Decompressor(maxMessageBytes, counters, new Decompressor.Output() {
                @Override
                public void onBytes(byte[] buf, int offset, int length, long ts) {
                    feed(buf, offset, length, ts);
                }

                @Override
                public void onBroken() {
                    gap();
                    handler.onDesync();
                }
            });
        }
    }

    boolean compressed() {
        return decompressor != null;
    }

    void onData(byte[] buf, int offset, int len, long ts) {
        if (decompressor != null) {
            decompressor.onData(buf, offset, len, ts);
            return;
        }
        int used = feed(buf, offset, len, ts);
        if (used < len && decompressor != null && state != State.STOPPED) {
            decompressor.onData(buf, offset + used, len - used, ts);
        }
    }

    /** Bytes are missing here: whatever was partial is given up and the direction probes for a boundary. */
    void gap() {
        if (state == State.STOPPED) {
            return;
        }
        if (decompressor != null) {
            decompressor.gap();
        }
        enterResync();
    }

    /** Feeds plain protocol bytes; returns how many were used (fewer when compression switched on midway). */
    private int feed(byte[] in, int offset, int len, long ts) {
        int pos = offset;
        int end = offset + len;
        boolean plain = decompressor == null;
        while (pos < end && state != State.STOPPED) {
            if (plain && decompressor != null) {
                break; // the handler just switched compression on: the rest is compressed
            }
            switch (state) {
                case HEADER -> pos = decodeHeader(in, pos, end, ts);
                case BODY -> pos = decodeBody(in, pos, end, ts);
                case RESYNC -> pos = probe(in, pos, end, ts);
                default -> pos = end;
            }
        }
        return pos - offset;
    }

    private int decodeHeader(byte[] in, int pos, int end, long ts) {
        if (headerFill == 0 && !continuing) {
            firstTs = ts;
        }
        int n = Math.min(MySqlWire.HEADER - headerFill, end - pos);
        System.arraycopy(in, pos, header, headerFill, n);
        headerFill += n;
        if (headerFill < MySqlWire.HEADER) {
            return pos + n;
        }
        headerFill = 0;
        int len = MySqlWire.int3(header, 0);
        int seq = header[3] & 0xff;
        if (continuing) {
            counters.increment(MySqlEvent.CONTINUATION_PACKETS);
            if (seq != ((lastSeq + 1) & 0xff)) {
                counters.increment(MySqlEvent.SEQUENCE_VIOLATION);
            }
        } else {
            firstSeq = seq;
            length = 0;
            kept = 0;
            wire = 0;
            keepLimit = -1;
        }
        lastSeq = seq;
        if (length + len > maxMessageBytes) {
            counters.increment(MySqlEvent.OVERSIZED_LENGTH);
            counters.add(MySqlEvent.RESYNC_SKIPPED_BYTES, MySqlWire.HEADER);
            enterResync();
            handler.onDesync();
            return pos + n;
        }
        length += len;
        wire += MySqlWire.HEADER + (long) len;
        physicalRemaining = len;
        continuing = len == MySqlWire.MAX_PAYLOAD;
        state = State.BODY;
        if (len == 0) {
            endPhysical(ts);
        }
        return pos + n;
    }

    private int decodeBody(byte[] in, int pos, int end, long ts) {
        int take = (int) Math.min(physicalRemaining, end - pos);
        if (keepLimit < 0 && take > 0) {
            int want = Math.max(1, handler.keep(in[pos] & 0xff));
            keepLimit = Math.min(keepCap, want);
            wantAll = want > keepCap;
        }
        int copy = Math.min(take, keepLimit - kept);
        if (copy > 0) {
            if (body.length < kept + copy) {
                body = Arrays.copyOf(body, Math.min(keepCap, Math.max(kept + copy, body.length * 2)));
            }
            System.arraycopy(in, pos, body, kept, copy);
            kept += copy;
        }
        physicalRemaining -= take;
        if (physicalRemaining == 0) {
            endPhysical(ts);
        }
        return pos + take;
    }

    private void endPhysical(long ts) {
        state = State.HEADER;
        if (continuing) {
            return; // the next physical packet continues this payload
        }
        packet.seq = firstSeq;
        packet.lastSeq = lastSeq;
        packet.length = length;
        packet.body = body;
        packet.kept = kept;
        packet.truncated = length > kept;
        packet.wireBytes = wire;
        packet.firstTs = firstTs;
        packet.lastTs = ts;
        if (packet.truncated && wantAll) {
            counters.increment(MySqlEvent.MESSAGE_TRUNCATED);
        }
        counters.increment(MySqlEvent.PACKETS_PARSED);
        handler.onPacket(packet);
        if (body.length > RETAINED_BODY_BYTES) {
            body = new byte[256];
        }
    }

    private void enterResync() {
        state = State.RESYNC;
        counters.increment(MySqlEvent.RESYNCS);
        headerFill = 0;
        continuing = false;
        if (probe == null) {
            probe = new byte[PROBE_CAP];
        }
        probeFill = 0;
        scanFrom = 0;
    }

    /** CONFIRMED: a chain of {@link #CONFIRM_PACKETS}; ENDS_AT_DATA: a shorter chain ending where the data ends. */
    private enum Verdict { CONFIRMED, ENDS_AT_DATA, REJECT, UNDECIDED }

    private int probe(byte[] in, int pos, int end, long ts) {
        int n = Math.min(end - pos, PROBE_CAP - probeFill);
        System.arraycopy(in, pos, probe, probeFill, n);
        probeFill += n;
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
                counters.add(MySqlEvent.RESYNC_SKIPPED_BYTES, c);
                byte[] rest = Arrays.copyOfRange(probe, c, probeFill);
                state = State.HEADER;
                probeFill = 0;
                firstTs = ts;
                feed(rest, 0, rest.length, ts);
                return pos + n;
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
            scanFrom = blocking >= 0 ? blocking : Math.max(scanFrom, probeFill - 2 * PROBE_CAP);
        }
        return pos + n;
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
