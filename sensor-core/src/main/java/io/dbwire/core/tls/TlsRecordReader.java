package io.dbwire.core.tls;

import io.dbwire.core.memory.MemoryAccount;
import io.dbwire.core.memory.MemoryConsumer;
import io.dbwire.core.memory.ShedReason;
import io.dbwire.core.util.ReasonCounters;

/**
 * Frames one direction of a TLS byte stream into records.
 *
 * <pre>
 *  0        1        2        3        4
 * +--------+--------+--------+--------+--------+----------------------+
 * |  type  | legacy_version  |     length      |  fragment (length)   |
 * +--------+--------+--------+--------+--------+----------------------+
 * </pre>
 *
 * A record wholly inside one {@code onData} chunk is passed to the sink straight from the caller's buffer; only
 * records split across chunks are copied, into a buffer that grows with the bytes received up to header +
 * {@link TlsConstants#MAX_RECORD_BODY} (never to the length a header declares), charged to the connection's memory
 * account; a record the budget has no room for is lost and counted. A header that fails the checks (type 20..23, version 3.x, length
 * within bounds) is counted and the reader slides one byte at a time until a plausible header appears. A gap
 * inside a record whose header is known loses that record only; a gap that touches a header loses framing.
 */
public final class TlsRecordReader {

    /** Receives framed records; {@code fragment} is valid only during the call. */
    public interface Sink {
        void onRecord(int contentType, int version, byte[] fragment, int offset, int length, long tsMicros);

        /** A record whose bytes were partly lost to a gap: only its header is known; framing survives. */
        void onLostRecord(int contentType, int length, long tsMicros);

        /** A gap touched a record header: record boundaries are unknown until a plausible header appears. */
        void onFramingLost(long missingBytes, long tsMicros);
    }

    private enum State {
        HEADER,
        BODY,
        SKIP_BODY
    }

    private final Sink sink;
    private final ReasonCounters<TlsViolation> violations;
    /** Initial bytes of the split-record buffer: a header and a small record; grown as bytes arrive. */
    static final int INITIAL_BYTES = 256;
    private static final int MAX_BYTES = TlsConstants.RECORD_HEADER + TlsConstants.MAX_RECORD_BODY;

    private byte[] buffer = new byte[INITIAL_BYTES];
    private MemoryAccount memory = MemoryAccount.NONE;
    private State state = State.HEADER;
    private int filled;
    private int type;
    private int version;
    private int length;
    private long skipRemaining;
    private boolean resyncing;

    public TlsRecordReader(Sink sink, ReasonCounters<TlsViolation> violations) {
        this.sink = sink;
        this.violations = violations;
    }

    void chargeTo(MemoryAccount account) {
        this.memory = account;
    }

    public void onData(byte[] data, int offset, int len, long tsMicros) {
        int pos = offset;
        int end = offset + len;
        while (pos < end) {
            switch (state) {
                case HEADER:
                    pos = readHeader(data, pos, end, tsMicros);
                    break;
                case BODY:
                    pos = readBody(data, pos, end, tsMicros);
                    break;
                default:
                    int n = (int) Math.min(skipRemaining, end - pos);
                    skipRemaining -= n;
                    pos += n;
                    if (skipRemaining == 0) {
                        state = State.HEADER;
                    }
            }
        }
    }

    /** {@code missing} bytes of this direction will never arrive; they sit where the next bytes would have. */
    public void onGap(long missing, long tsMicros) {
        // A gap that ends inside or exactly at the end of a record whose header is known keeps the framing.
        if (state == State.BODY && filled + missing <= TlsConstants.RECORD_HEADER + (long) length) {
            violations.increment(TlsViolation.GAP_IN_RECORD);
            sink.onLostRecord(type, length, tsMicros);
            skipRemaining = TlsConstants.RECORD_HEADER + (long) length - filled - missing;
            filled = 0;
            state = skipRemaining == 0 ? State.HEADER : State.SKIP_BODY;
            return;
        }
        if (state == State.SKIP_BODY && missing <= skipRemaining) {
            skipRemaining -= missing;
            state = skipRemaining == 0 ? State.HEADER : State.SKIP_BODY;
            return;
        }
        violations.increment(TlsViolation.GAP_LOST_FRAMING);
        sink.onFramingLost(missing, tsMicros);
        filled = 0;
        state = State.HEADER;
        resyncing = true;
    }

    /** The stream ended: a record whose header was read but whose body never completed is counted and lost. */
    public void finish(long tsMicros) {
        if (state == State.BODY) {
            violations.increment(TlsViolation.TRUNCATED_AT_CLOSE);
            sink.onLostRecord(type, length, tsMicros);
        }
        state = State.HEADER;
        filled = 0;
        if (buffer.length > INITIAL_BYTES) {
            memory.shrink(MemoryConsumer.TLS_SESSIONS, buffer.length - INITIAL_BYTES);
            buffer = new byte[INITIAL_BYTES];
        }
    }

    private int readHeader(byte[] data, int pos, int end, long ts) {
        // Fast path: a whole record in the caller's buffer, nothing buffered.
        if (filled == 0 && end - pos >= TlsConstants.RECORD_HEADER) {
            if (!checkHeader(data, pos)) {
                return pos + 1;
            }
            if (end - pos - TlsConstants.RECORD_HEADER >= length) {
                resyncing = false;
                sink.onRecord(type, version, data, pos + TlsConstants.RECORD_HEADER, length, ts);
                return pos + TlsConstants.RECORD_HEADER + length;
            }
        }
        byte[] head = buffer; // at least the initial 256 bytes
        while (filled < TlsConstants.RECORD_HEADER && pos < end) {
            head[filled++] = data[pos++];
        }
        if (filled < TlsConstants.RECORD_HEADER) {
            return pos;
        }
        if (!checkHeader(head, 0)) {
            // Drop the first buffered byte and try the header one byte later.
            System.arraycopy(head, 1, head, 0, --filled);
            return pos;
        }
        resyncing = false;
        state = State.BODY;
        return length == 0 ? readBody(data, pos, end, ts) : pos;
    }

    private int readBody(byte[] data, int pos, int end, long ts) {
        int want = TlsConstants.RECORD_HEADER + length - filled;
        int n = Math.min(want, end - pos);
        if (!ensure(filled + n)) {
            // The memory budget has no room for the rest of this record: it is lost (counted), framing is kept.
            sink.onLostRecord(type, length, ts);
            skipRemaining = want - n;
            filled = 0;
            state = skipRemaining == 0 ? State.HEADER : State.SKIP_BODY;
            return pos + n;
        }
        System.arraycopy(data, pos, buffer, filled, n);
        filled += n;
        if (n == want) {
            filled = 0;
            state = State.HEADER;
            sink.onRecord(type, version, buffer, TlsConstants.RECORD_HEADER, length, ts);
        }
        return pos + n;
    }

    /** Grows the buffer to hold {@code size} bytes (doubling), if the memory budget allows; false if not. */
    private boolean ensure(int size) {
        if (size <= buffer.length) {
            return true;
        }
        int grown = Math.min(MAX_BYTES, Math.max(size, 2 * buffer.length));
        if (!memory.tryGrow(MemoryConsumer.TLS_SESSIONS, grown - buffer.length, ShedReason.TLS_RECORD_DROPPED)) {
            return false;
        }
        buffer = java.util.Arrays.copyOf(buffer, grown);
        return true;
    }

    /** Reads type, version, length at {@code at}; counts a violation (once per resync) when implausible. */
    private boolean checkHeader(byte[] b, int at) {
        int t = b[at] & 0xff;
        int v = ((b[at + 1] & 0xff) << 8) | (b[at + 2] & 0xff);
        int l = ((b[at + 3] & 0xff) << 8) | (b[at + 4] & 0xff);
        TlsViolation bad = null;
        if (t < TlsConstants.CHANGE_CIPHER_SPEC || t > TlsConstants.APPLICATION_DATA) {
            bad = TlsViolation.BAD_CONTENT_TYPE;
        } else if ((v >> 8) != 3 || (v & 0xff) > 4) {
            bad = TlsViolation.BAD_RECORD_VERSION;
        } else if (l > TlsConstants.MAX_RECORD_BODY) {
            bad = TlsViolation.RECORD_TOO_LONG;
        }
        if (bad != null) {
            if (!resyncing) {
                violations.increment(bad);
                resyncing = true;
            }
            violations.increment(TlsViolation.RESYNC_SKIPPED_BYTES);
            return false;
        }
        type = t;
        version = v;
        length = l;
        return true;
    }
}
