package io.dbwire.core.tls;

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
 * records split across chunks are copied, into one fixed buffer of header + {@link TlsConstants#MAX_RECORD_BODY}
 * bytes, so memory per direction is bounded. A header that fails the checks (type 20..23, version 3.x, length
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
    private final byte[] buffer = new byte[TlsConstants.RECORD_HEADER + TlsConstants.MAX_RECORD_BODY];
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
        while (filled < TlsConstants.RECORD_HEADER && pos < end) {
            buffer[filled++] = data[pos++];
        }
        if (filled < TlsConstants.RECORD_HEADER) {
            return pos;
        }
        if (!checkHeader(buffer, 0)) {
            // Drop the first buffered byte and try the header one byte later.
            System.arraycopy(buffer, 1, buffer, 0, --filled);
            return pos;
        }
        resyncing = false;
        state = State.BODY;
        return length == 0 ? readBody(data, pos, end, ts) : pos;
    }

    private int readBody(byte[] data, int pos, int end, long ts) {
        int want = TlsConstants.RECORD_HEADER + length - filled;
        int n = Math.min(want, end - pos);
        System.arraycopy(data, pos, buffer, filled, n);
        filled += n;
        if (n == want) {
            filled = 0;
            state = State.HEADER;
            sink.onRecord(type, version, buffer, TlsConstants.RECORD_HEADER, length, ts);
        }
        return pos + n;
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
