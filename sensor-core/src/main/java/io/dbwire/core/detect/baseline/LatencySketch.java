package io.dbwire.core.detect.baseline;

import java.util.Arrays;

/**
 * Latencies of one bucket in log-spaced bins (factor √2 per bin from 1 µs; the last bin holds everything from
 * about 16 s up): a fixed 48-int array, mergeable by adding, and a quantile that is right within a factor √2,
 * which is plenty for "p95 is 4× its usual".
 *
 * <p>One quantile, chosen at construction, is also kept up to date as values arrive ({@link #trackedQuantile()}):
 * a detector that compares every value with the bucket's p95 would otherwise walk the bins for every value. Adding
 * one value moves that quantile's bin by a step or two (over empty bins), so keeping it costs about as much as the
 * add itself; it is always equal to {@code quantile(tracked)}.
 */
public final class LatencySketch {
    static final int BINS = 48;
    /** {@link #upper} of each bin, computed once (it was a {@code Math.pow} per call). */
    private static final double[] UPPER = new double[BINS];

    /** The least value of bin {@code b} or above ({@link #firstOf}); bin 0 takes everything below bin 1. */
    private static final long[] FIRST = new long[BINS];

    static {
        for (int b = 0; b < BINS; b++) {
            UPPER[b] = Math.pow(2, (b + 1) / 2.0);
        }
        FIRST[0] = Long.MIN_VALUE;
        for (int b = 1; b < BINS; b++) {
            FIRST[b] = firstOf(b);
        }
    }

    private final int[] counts = new int[BINS];
    private long total;
    private final double tracked;
    /** Bin of the tracked quantile (the first whose cumulative count reaches its rank) and that cumulative count. */
    private int trackedBin;
    private long trackedCumulative;

    /** A sketch keeping the median up to date. */
    public LatencySketch() {
        this(0.5);
    }

    /** @param tracked the quantile (0..1) {@link #trackedQuantile()} gives */
    public LatencySketch(double tracked) {
        this.tracked = tracked;
    }

    public void add(long micros) {
        int b = bin(micros);
        counts[b]++;
        total++;
        if (b <= trackedBin) {
            trackedCumulative++;
        }
        long rank = (long) Math.ceil(tracked * total);
        while (trackedCumulative < rank && trackedBin < BINS - 1) {
            trackedBin++;
            trackedCumulative += counts[trackedBin];
        }
        while (trackedBin > 0 && trackedCumulative - counts[trackedBin] >= rank) {
            trackedCumulative -= counts[trackedBin];
            trackedBin--;
        }
    }

    /**
     * The bin of a value: {@link #binByLog}'s answer, which was a {@code Math.log} per record and entity (2 % of
     * the pipeline thread), read from {@link #FIRST} in one or two comparisons.
     */
    static int bin(long micros) {
        if (micros <= 1) {
            return 0;
        }
        if (micros >= FIRST[BINS - 1]) {
            return BINS - 1;
        }
        int b = 2 * (63 - Long.numberOfLeadingZeros(micros)); // 2·floor(log2), within a step of the answer
        while (micros < FIRST[b]) {
            b--;
        }
        while (micros >= FIRST[b + 1]) {
            b++;
        }
        return b;
    }

    /** The definition of the bins: log base √2 = 2·log2. */
    static int binByLog(long micros) {
        if (micros <= 1) {
            return 0;
        }
        int b = (int) (2 * (Math.log(micros) / Math.log(2)));
        return Math.min(BINS - 1, Math.max(0, b));
    }

    /**
     * The least value {@link #binByLog} puts in bin {@code b} or above, found by bisection over that very function
     * (monotonic, as {@code Math.log} is), so {@link #bin} gives the same bin for every value.
     */
    private static long firstOf(int b) {
        long lo = 2; // binByLog(1) = 0 and binByLog(2) = 2: values from 2 on
        long hi = 1L << 40; // far beyond the last bin (about 2^23.5 µs)
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (binByLog(mid) >= b) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Upper edge of bin {@code b} in µs. */
    static double upper(int b) {
        return UPPER[b];
    }

    public long total() {
        return total;
    }

    /** The q-quantile (0..1) as the upper edge of the bin it falls in; 0 when empty. */
    public double quantile(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int b = 0; b < BINS; b++) {
            seen += counts[b];
            if (seen >= rank) {
                return upper(b);
            }
        }
        return upper(BINS - 1);
    }

    /** {@code quantile(tracked)} without walking the bins. */
    public double trackedQuantile() {
        return total == 0 ? 0 : upper(trackedBin);
    }

    public void clear() {
        Arrays.fill(counts, 0);
        total = 0;
        trackedBin = 0;
        trackedCumulative = 0;
    }
}
