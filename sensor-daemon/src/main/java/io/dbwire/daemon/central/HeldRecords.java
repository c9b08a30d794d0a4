package io.dbwire.daemon.central;

import io.dbwire.core.record.TransactionRecord;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.ObjLongConsumer;

/**
 * One partition's records held back for a short stretch of packet time so that records of several sensors, which
 * reach Kafka each in its own sensor's order, go to detection in packet-time order. A record leaves once the
 * partition's packet time is {@code windowMicros} past it (records of equal time in arrival order); bounded: beyond
 * {@code maxHeld} the earliest leaves at once.
 */
final class HeldRecords {
    private record Held(TransactionRecord record, long offset, long seq) {}

    private static final Comparator<Held> PACKET_ORDER =
            Comparator.comparingLong((Held h) -> h.record().tsMicros()).thenComparingLong(Held::seq);

    private final PriorityQueue<Held> queue = new PriorityQueue<>(PACKET_ORDER);
    private final long windowMicros;
    private final int maxHeld;
    private long seq;
    private long maxTsMicros = Long.MIN_VALUE;
    private long releasedEarly;

    HeldRecords(long windowMicros, int maxHeld) {
        this.windowMicros = windowMicros;
        this.maxHeld = maxHeld;
    }

    /** Holds the record, then hands every record that is due to {@code out} with its offset. */
    void add(TransactionRecord r, long offset, ObjLongConsumer<TransactionRecord> out) {
        queue.add(new Held(r, offset, seq++));
        maxTsMicros = Math.max(maxTsMicros, r.tsMicros());
        while (queue.size() > maxHeld) {
            releasedEarly++;
            release(out);
        }
        long due = maxTsMicros - windowMicros;
        while (!queue.isEmpty() && queue.peek().record().tsMicros() <= due) {
            release(out);
        }
    }

    /** Hands every held record to {@code out}, in packet-time order. */
    void releaseAll(ObjLongConsumer<TransactionRecord> out) {
        while (!queue.isEmpty()) {
            release(out);
        }
    }

    private void release(ObjLongConsumer<TransactionRecord> out) {
        Held h = queue.poll();
        out.accept(h.record(), h.offset());
    }

    /** The smallest offset still held, or -1: the partition's offsets may be committed up to it, not past it. */
    long minOffset() {
        long min = -1;
        for (Held h : queue) {
            if (min < 0 || h.offset() < min) {
                min = h.offset();
            }
        }
        return min;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return queue.size();
    }

    /** Records let go before their time because {@code maxHeld} was reached. */
    long releasedEarly() {
        return releasedEarly;
    }
}
