package io.dbwire.core.detect.engine;

/**
 * Packet-time clock: fixed buckets aligned on multiples of {@code bucketMicros} since the epoch (so a replay
 * started anywhere cuts the same buckets as the live run), and the learning period measured from the first record.
 * A bucket {@code [start, start + bucketMicros)} closes when packet time reaches its end; nothing here reads the
 * wall clock.
 */
public final class WindowClock {
    public static final long UNSET = Long.MIN_VALUE;

    /** Receives each closed bucket in time order. */
    @FunctionalInterface
    public interface BucketListener {
        void onClose(long startMicros, long endMicros);
    }

    private final long bucketMicros;
    private final int maxCatchUp;
    private long openBucketStart = UNSET;
    private long firstRecordMicros = UNSET;

    /**
     * @param bucketMicros bucket length
     * @param maxCatchUp   most buckets reported one by one after a jump in packet time; the empty ones beyond are
     *                     skipped (and counted by the caller) since a baseline of N buckets is all zeros by then
     */
    public WindowClock(long bucketMicros, int maxCatchUp) {
        if (bucketMicros <= 0) {
            throw new IllegalArgumentException("bucketMicros: " + bucketMicros + " (expected: > 0)");
        }
        this.bucketMicros = bucketMicros;
        this.maxCatchUp = Math.max(1, maxCatchUp);
    }

    /**
     * Moves packet time to {@code nowMicros}, closing every bucket that ended at or before it.
     *
     * @return buckets that closed but were skipped because of {@code maxCatchUp}
     */
    public long advance(long nowMicros, BucketListener listener) {
        long bucket = bucketStart(nowMicros);
        if (openBucketStart == UNSET) {
            openBucketStart = bucket;
            return 0;
        }
        if (bucket <= openBucketStart) {
            return 0;
        }
        long closed = (bucket - openBucketStart) / bucketMicros;
        long reported = Math.min(closed, maxCatchUp);
        for (long i = 0; i < reported; i++) {
            long start = openBucketStart + i * bucketMicros;
            listener.onClose(start, start + bucketMicros);
        }
        openBucketStart = bucket;
        return closed - reported;
    }

    /** End of input: closes the open bucket although its time is not over. No-op before any time was seen. */
    public void closeOpen(BucketListener listener) {
        if (openBucketStart == UNSET) {
            return;
        }
        listener.onClose(openBucketStart, openBucketStart + bucketMicros);
        openBucketStart = UNSET;
    }

    /** Remembers the first record's time: the learning period starts there. */
    public void markRecord(long tsMicros) {
        if (firstRecordMicros == UNSET) {
            firstRecordMicros = tsMicros;
        }
    }

    /** True until {@code learningMicros} have passed since the first record (and before any record). */
    public boolean inLearning(long nowMicros, long learningMicros) {
        return firstRecordMicros == UNSET || !learningOver(firstRecordMicros, nowMicros, learningMicros);
    }

    /** Whether {@code learningMicros} have passed since {@code sinceMicros}; overflow-safe for huge periods. */
    public static boolean learningOver(long sinceMicros, long nowMicros, long learningMicros) {
        return nowMicros - sinceMicros >= learningMicros;
    }

    public long bucketStart(long tsMicros) {
        return Math.floorDiv(tsMicros, bucketMicros) * bucketMicros;
    }

    public long bucketMicros() {
        return bucketMicros;
    }

    /** Start of the open bucket, or {@link Long#MIN_VALUE} before any time was seen. */
    public long openBucketStart() {
        return openBucketStart;
    }

    public long firstRecordMicros() {
        return firstRecordMicros;
    }
}
