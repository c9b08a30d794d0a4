package io.dbwire.core.tcp;

import io.dbwire.core.config.TcpConfig;
import io.dbwire.core.util.ReasonCounters;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * One direction of one connection: turns segments in any order into the in-order byte stream of
 * {@link StreamListener}, with every hole reported as a gap. The same class serves both directions.
 *
 * <p>Positions are kept as 64-bit stream offsets ("abs", 0 = first byte after the SYN, or the first payload
 * byte seen mid-stream), so the reorder buffer never deals with 32-bit wrap-around; only {@link #toAbs} does,
 * by taking the signed 32-bit distance to the next expected sequence number (RFC 793 section 3.3 arithmetic).
 *
 * <p>In-order bytes go to the listener straight from the packet array. Bytes ahead of a hole are copied into
 * the reorder buffer, charged to the per-direction bound and the shared {@link BufferBudget}. A hole is given
 * up (gap, then delivery resumes after it) when a bound is hit, when the peer acknowledges beyond it, when a
 * segment was truncated by the capture, and at close.
 */
final class StreamReassembler {
    /** Reorder buffer entries per direction (soft: one insert may add an entry per hole it fills). */
    static final int MAX_SEGMENTS = 4096;
    /**
     * Reordering tolerated within a flow by default (packet time; {@code TcpConfig.reorderWindowMicros}): a hole
     * the peer acknowledged is declared lost once it has been known this long, since a packet merely reordered (a
     * load balancer, two mirror sessions) arrives within a few milliseconds of the packets that overtook it. See
     * docs/reassembly.md.
     */
    static final long REORDER_WINDOW_MICROS = TcpConfig.DEFAULT_REORDER_WINDOW_MICROS;
    /** An ACK further ahead of the bytes seen than this is not taken as "bytes in flight we missed". */
    static final int MAX_ACK_AHEAD = 1 << 30;

    /**
     * A buffered range: copied bytes, or {@code bytes == null} for bytes known missing (truncated capture), with
     * the packet time of the segment that brought them (delivered with them, whenever they are delivered).
     */
    private record Segment(byte[] bytes, int length, long ts) {}

    private final Direction direction;
    private final StreamListener listener;
    private final BufferBudget budget;
    private final ReasonCounters<TcpEvent> counters;
    private final int maxBufferedBytes;
    private final long reorderWindowMicros;

    private boolean initialized;
    /** Sequence number of stream offset 0. */
    private long baseSeq;
    private long nextAbs;
    private boolean ackSeen;
    /** Highest offset the peer acknowledged: every byte before it reached the real endpoint. */
    private long ackAbs;
    private boolean finSeen;
    private long finAbs;
    private TreeMap<Long, Segment> pending;
    private int pendingBytes;
    /** Since when (packet time) the first buffered entry lies beyond an acknowledged hole; MIN_VALUE if not. */
    private long ackedHoleSince = Long.MIN_VALUE;
    private long ackedHoleKey;
    private int gaps;
    /** Largest payload seen in this direction: the sender's segment size, to estimate packets lost in a hole. */
    private int largestSegment;
    /** The other direction of the connection: a connection is counted affected at its first gap in either. */
    private StreamReassembler peer;

    StreamReassembler(
            Direction direction,
            StreamListener listener,
            BufferBudget budget,
            ReasonCounters<TcpEvent> counters,
            int maxBufferedBytes) {
        this(direction, listener, budget, counters, maxBufferedBytes, REORDER_WINDOW_MICROS);
    }

    StreamReassembler(
            Direction direction,
            StreamListener listener,
            BufferBudget budget,
            ReasonCounters<TcpEvent> counters,
            int maxBufferedBytes,
            long reorderWindowMicros) {
        this.direction = direction;
        this.listener = listener;
        this.budget = budget;
        this.counters = counters;
        this.maxBufferedBytes = maxBufferedBytes;
        this.reorderWindowMicros = reorderWindowMicros;
    }

    /** Links the two directions of one connection. */
    static void pair(StreamReassembler toServer, StreamReassembler toClient) {
        toServer.peer = toClient;
        toClient.peer = toServer;
    }

    boolean initialized() {
        return initialized;
    }

    /** Sets the sequence number of the first stream byte (ISN + 1 after a SYN, or the first payload seen). */
    void init(long firstSeq) {
        initialized = true;
        baseSeq = firstSeq & 0xFFFF_FFFFL;
        nextAbs = 0;
    }

    boolean finSeen() {
        return finSeen;
    }

    /** A FIN was seen and bytes before it were not delivered yet (the FIN overtook them, or they were lost). */
    boolean missingBeforeFin() {
        return finSeen && nextAbs < finAbs;
    }

    int bufferedBytes() {
        return pendingBytes;
    }

    /** The sequence number of the next byte the listener expects. */
    long nextSeq() {
        return (baseSeq + nextAbs) & 0xFFFF_FFFFL;
    }

    private long toAbs(long seq) {
        return nextAbs + (int) (seq - nextSeq());
    }

    /**
     * A segment of this direction: {@code length} captured bytes at {@code seq}, followed by {@code missing}
     * bytes the IP header announced but the capture lacked.
     */
    void onSegment(long seq, byte[] src, int off, int length, int missing, long ts) {
        if (!initialized) {
            init(seq); // mid-stream: bytes before the capture began are not a gap
        }
        counters.increment(TcpEvent.SEGMENTS);
        largestSegment = Math.max(largestSegment, length + missing);
        long abs = toAbs(seq);
        final long end = abs + length;
        int len = length;
        boolean fresh = false;
        boolean old = false;
        while (len > 0) {
            if (abs < nextAbs) { // already delivered (or skipped as a gap): drop the front
                int k = (int) Math.min(len, nextAbs - abs);
                abs += k;
                off += k;
                len -= k;
                old = true;
            } else if (abs == nextAbs) { // in order: straight from the packet, up to the first buffered byte
                int n = hasPending() ? (int) Math.min(len, pending.firstKey() - abs) : len;
                if (n > 0) {
                    deliver(src, off, n, ts);
                    nextAbs += n;
                    abs += n;
                    off += n;
                    len -= n;
                    fresh = true;
                }
                if (len > 0) {
                    walk(abs, src, off, len, false, ts); // only compares: the buffered copy came first and wins
                }
                drain(ts);
            } else if (makeRoom(abs, len, ts)) {
                int added = walk(abs, src, off, len, true, ts);
                if (added > 0) {
                    fresh = true;
                    counters.increment(TcpEvent.OUT_OF_ORDER);
                }
                old |= added < len;
                len = 0;
            }
        }
        if (missing > 0) {
            counters.increment(TcpEvent.TRUNCATED_SEGMENTS);
            fresh |= markMissing(end, missing, ts);
        }
        if (!fresh) {
            counters.increment(TcpEvent.RETRANSMISSION);
        } else if (old) {
            counters.increment(TcpEvent.PARTIAL_OVERLAP);
        }
        resolveAcked(ts);
    }

    /** The peer acknowledged every byte of this direction before {@code ack}. */
    void onAck(long ack, long ts) {
        if (!initialized) {
            return;
        }
        long a = toAbs(ack);
        if (!ackSeen || a > ackAbs) {
            ackAbs = a;
            ackSeen = true;
        }
        resolveAcked(ts);
    }

    /** A FIN at {@code finSeq}: the stream ends before it. */
    void onFin(long finSeq) {
        if (!initialized) {
            init(finSeq);
        }
        if (!finSeen) {
            finSeen = true;
            finAbs = toAbs(finSeq);
        }
    }

    /**
     * Bytes acknowledged but not yet seen: how far {@code seq} lies beyond the next byte the listener expects
     * (0 if not beyond, or if the distance is implausible for one window).
     */
    long unseenBefore(long seq) {
        if (!initialized) {
            return 0;
        }
        int d = (int) (seq - nextSeq());
        if (finSeen && nextAbs >= finAbs && toAbs(seq) <= finAbs + 1) {
            return 0; // the FIN occupies a sequence number but is no byte: acknowledging it misses nothing
        }
        return d > 0 && d <= MAX_ACK_AHEAD ? d : 0;
    }

    /**
     * Everything before {@code seq} is given up: delivers buffered bytes before it, with gaps for the holes,
     * and stops there (bytes after it stay buffered until {@link #deliverReady}).
     */
    void giveUpBefore(long seq, long ts) {
        if (!initialized) {
            return;
        }
        long target = toAbs(seq);
        while (nextAbs < target) {
            if (hasPending() && pending.firstKey() <= nextAbs) {
                drainFirst(ts);
                continue;
            }
            long to = hasPending() ? Math.min(target, pending.firstKey()) : target;
            gap(to - nextAbs, ts);
            nextAbs = to;
        }
    }

    /** Delivers buffered bytes that became contiguous. */
    void deliverReady(long ts) {
        drain(ts);
    }

    /** Close: deliver everything buffered, report every hole and the unseen tail (up to the FIN or the ACK). */
    void flush(long ts) {
        while (hasPending()) {
            skipTo(pending.firstKey(), ts);
        }
        long tail = finSeen ? finAbs : ackSeen ? ackAbs : nextAbs;
        if (tail > nextAbs) {
            gap(tail - nextAbs, ts);
            nextAbs = tail;
        }
    }

    private boolean hasPending() {
        return pending != null && !pending.isEmpty();
    }

    /**
     * Checks that {@code need} more bytes fit both bounds. If not, gives up the first hole (a counted gap) so
     * the caller can retry: towards the earliest known byte, which may be the new segment itself.
     */
    private boolean makeRoom(long abs, int need, long ts) {
        boolean fitsFlow = pendingBytes + (long) need <= maxBufferedBytes
                && (pending == null || pending.size() < MAX_SEGMENTS);
        if (fitsFlow && budget.fits(need)) {
            return true;
        }
        counters.increment(fitsFlow ? TcpEvent.BUDGET_EXHAUSTED : TcpEvent.BUFFER_LIMIT);
        skipTo(hasPending() ? Math.min(abs, pending.firstKey()) : abs, ts);
        return false;
    }

    /** Reports the hole before {@code target} as a gap and resumes delivery there. */
    private void skipTo(long target, long ts) {
        if (target > nextAbs) {
            gap(target - nextAbs, ts);
            nextAbs = target;
        }
        drain(ts);
    }

    /**
     * A hole is lost (a mirror drop) when the evidence says so: the peer acknowledged past it, so the endpoint got
     * those bytes, and this direction already brought later bytes, so they were sent. Only reordering could still
     * bring them: the hole is given up once it has been known for the reorder window of packet time.
     */
    private void resolveAcked(long ts) {
        while (ackSeen && hasPending() && pending.firstKey() > nextAbs && ackAbs >= pending.firstKey()) {
            long key = pending.firstKey();
            if (ackedHoleSince == Long.MIN_VALUE || ackedHoleKey != key) {
                ackedHoleSince = ts;
                ackedHoleKey = key;
                return;
            }
            if (!elapsed(ackedHoleSince, ts, reorderWindowMicros)) {
                return;
            }
            ackedHoleSince = Long.MIN_VALUE;
            counters.increment(TcpEvent.GAP_ACKED);
            skipTo(key, ts);
        }
    }

    /**
     * Whether {@code window} of packet time passed since {@code since}. A segment released from a hold carries
     * its own, earlier time: a little before {@code since} is no time passed; far before (a capture whose clock
     * jumped back) counts as passed, so nothing waits forever.
     */
    static boolean elapsed(long since, long now, long window) {
        long age = now - since;
        return age >= window || age <= -BACKWARD_JUMP_MICROS;
    }

    /** Packet time running back further than this is a clock jump, not reordering. */
    static final long BACKWARD_JUMP_MICROS = 1_000_000L;

    /** Records {@code missing} bytes at {@code abs} as known-missing, then delivers what became contiguous. */
    private boolean markMissing(long abs, int missing, long ts) {
        long from = Math.max(abs, nextAbs);
        long to = abs + missing;
        if (to <= from) {
            return false;
        }
        if (pending != null && pending.size() >= MAX_SEGMENTS) {
            counters.increment(TcpEvent.BUFFER_LIMIT);
            skipTo(Math.min(from, pending.firstKey()), ts);
            from = Math.max(abs, nextAbs);
            if (to <= from) {
                return false;
            }
        }
        int added = walk(from, null, 0, (int) (to - from), true, ts);
        drain(ts);
        return added > 0;
    }

    /**
     * Walks the buffered entries overlapping {@code [abs, abs + len)}: compares overlaps (counting a conflict)
     * and, if {@code insert}, copies the bytes that fall into holes. {@code src == null} inserts a missing marker.
     *
     * @return bytes inserted
     */
    private int walk(long abs, byte[] src, int off, int len, boolean insert, long ts) {
        if (pending == null) {
            if (!insert) {
                return 0;
            }
            pending = new TreeMap<>();
        }
        long pos = abs;
        long end = abs + len;
        int added = 0;
        Map.Entry<Long, Segment> before = pending.floorEntry(pos);
        if (before != null) {
            pos = compare(before, pos, end, abs, src, off);
        }
        while (pos < end) {
            Map.Entry<Long, Segment> next = pending.ceilingEntry(pos);
            long holeEnd = next == null ? end : Math.min(end, next.getKey());
            if (insert && holeEnd > pos) {
                int n = (int) (holeEnd - pos);
                pending.put(pos, copy(src, off + (int) (pos - abs), n, ts));
                added += n;
            }
            if (next == null || holeEnd >= end) {
                break;
            }
            pos = compare(next, next.getKey(), end, abs, src, off);
        }
        return added;
    }

    /** Compares the overlap of {@code entry} with the new bytes from {@code pos}; returns where it ends. */
    private long compare(Map.Entry<Long, Segment> entry, long pos, long end, long abs, byte[] src, int off) {
        long key = entry.getKey();
        Segment s = entry.getValue();
        long to = Math.min(end, key + s.length());
        if (to <= pos) {
            return pos;
        }
        if (s.bytes() != null && src != null) {
            int a = (int) (pos - key);
            int b = off + (int) (pos - abs);
            int n = (int) (to - pos);
            if (Arrays.mismatch(s.bytes(), a, a + n, src, b, b + n) >= 0) {
                counters.increment(TcpEvent.OVERLAP_CONFLICT);
            }
        }
        return to;
    }

    private Segment copy(byte[] src, int off, int n, long ts) {
        if (src == null) {
            return new Segment(null, n, ts);
        }
        pendingBytes += n;
        budget.reserve(n);
        return new Segment(Arrays.copyOfRange(src, off, off + n), n, ts);
    }

    /** Delivers buffered entries that start at or before the next expected byte. */
    private void drain(long ts) {
        while (hasPending() && pending.firstKey() <= nextAbs) {
            drainFirst(ts);
        }
    }

    /** Delivers the first buffered entry, which starts at or before the next expected byte. */
    private void drainFirst(long ts) {
        Map.Entry<Long, Segment> first = pending.pollFirstEntry();
        Segment s = first.getValue();
        if (s.bytes() != null) {
            pendingBytes -= s.length();
            budget.release(s.length());
        }
        long segEnd = first.getKey() + s.length();
        if (segEnd <= nextAbs) {
            return;
        }
        int skip = (int) (nextAbs - first.getKey());
        if (s.bytes() == null) {
            gap(s.length() - skip, s.ts());
        } else {
            deliver(s.bytes(), skip, s.length() - skip, s.ts()); // its own packet time, not the filler's
        }
        nextAbs = segEnd;
    }

    private void deliver(byte[] buf, int off, int len, long ts) {
        listener.onData(direction, buf, off, len, ts);
    }

    /** Whether this direction reported a gap. */
    boolean hadGap() {
        return gaps > 0;
    }

    private void gap(long bytes, long ts) {
        if (gaps == 0 && (peer == null || !peer.hadGap())) {
            counters.increment(TcpEvent.CONNECTIONS_WITH_GAPS);
        }
        gaps++;
        counters.increment(TcpEvent.GAP_EVENTS);
        counters.add(TcpEvent.GAP_BYTES, bytes);
        boolean toServer = direction == Direction.CLIENT_TO_SERVER;
        counters.increment(toServer ? TcpEvent.GAP_EVENTS_CLIENT_TO_SERVER : TcpEvent.GAP_EVENTS_SERVER_TO_CLIENT);
        counters.add(toServer ? TcpEvent.GAP_BYTES_CLIENT_TO_SERVER : TcpEvent.GAP_BYTES_SERVER_TO_CLIENT, bytes);
        counters.add(toServer ? TcpEvent.GAP_PACKETS_CLIENT_TO_SERVER : TcpEvent.GAP_PACKETS_SERVER_TO_CLIENT,
                packetsIn(bytes, largestSegment));
        listener.onGap(direction, bytes, ts);
    }

    /** Packets in a hole of {@code bytes}, estimated from the largest segment seen: {@code bytes / segment}, rounded up. */
    static long packetsIn(long bytes, int segment) {
        return segment <= 0 ? 1 : Math.max(1, (bytes + segment - 1) / segment);
    }
}
