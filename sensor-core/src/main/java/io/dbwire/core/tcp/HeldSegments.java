package io.dbwire.core.tcp;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * Segments of one direction held back because they acknowledge bytes of the other direction not seen yet.
 *
 * <p>Why: mirrored packets of the two directions often reach the sensor out of order (two mirror sessions, or
 * reordering on the way to the target), so a response can arrive before the request it answers. Delivered in
 * that order, the parser would pair it with the wrong request. A segment whose ACK runs ahead of the peer's
 * delivered bytes therefore waits, as a copy, until the peer's bytes arrive; if they never do (a mirror drop),
 * it is released after a bound of packet time, bytes or count, and the peer gets a gap for what it missed, so the
 * order the listener sees is still the order of the conversation. Later segments of the same direction queue
 * behind it. Charged to the flow's reorder bound and the shared {@link BufferBudget}.
 */
final class HeldSegments {
    /**
     * Held at most this long by default (packet time; the reorder window) before the peer's missing bytes are
     * declared a gap: the peer's bytes were acknowledged, so they were sent; only reordering could still bring them.
     */
    static final long MAX_HOLD_MICROS = StreamReassembler.REORDER_WINDOW_MICROS;
    static final int MAX_SEGMENTS = 256;

    record Held(int flags, long seq, long ack, byte[] bytes, int missing, long heldMicros) {}

    final boolean fromClient;
    /**
     * In sequence order, not arrival order: a segment sent earlier acknowledges no more than a later one, so
     * releasing in sequence order can never wait on a segment queued behind (no head-of-line deadlock).
     */
    private final ArrayList<Held> queue = new ArrayList<>();
    private final BufferBudget budget;
    private int bytes;

    HeldSegments(boolean fromClient, BufferBudget budget) {
        this.fromClient = fromClient;
        this.budget = budget;
    }

    void add(int flags, long seq, long ack, byte[] src, int off, int len, int missing, long now) {
        int i = queue.size();
        while (i > 0 && (int) (seq - queue.get(i - 1).seq()) < 0) {
            i--;
        }
        queue.add(i, new Held(flags, seq, ack, Arrays.copyOfRange(src, off, off + len), missing, now));
        bytes += len;
        budget.reserve(len);
    }

    Held peek() {
        return queue.isEmpty() ? null : queue.get(0);
    }

    Held poll() {
        Held h = queue.isEmpty() ? null : queue.remove(0);
        if (h != null) {
            bytes -= h.bytes().length;
            budget.release(h.bytes().length);
        }
        return h;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** True when the oldest held segment must go now: held too long, or a bound is reached. */
    boolean overdue(long now, int maxBytes, long maxHoldMicros) {
        if (queue.isEmpty()) {
            return false;
        }
        long oldest = Long.MAX_VALUE;
        for (Held h : queue) {
            oldest = Math.min(oldest, h.heldMicros());
        }
        return (StreamReassembler.elapsed(oldest, now, maxHoldMicros)
                || bytes > maxBytes || queue.size() > MAX_SEGMENTS || budget.available() < 0);
    }
}
