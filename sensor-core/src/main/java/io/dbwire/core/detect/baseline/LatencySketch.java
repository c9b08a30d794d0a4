package io.dbwire.core.detect.baseline;

import java.util.Arrays;

/**
 * Latencies of one bucket in log-spaced bins (factor √2 per bin from 1 µs; the last bin holds everything from
 * about 16 s up): a fixed 48-int array, mergeable by adding, and a quantile that is right within a factor √2,
 * which is plenty for "p95 is 4× its usual".
 */
public final class LatencySketch {
    static final int BINS = 48;
    private final int[] counts = new int[BINS];
    private long total;

    public void add(long micros) {
        counts[bin(micros)]++;
        total++;
    }

    static int bin(long micros) {
        if (micros <= 1) {
            return 0;
        }
        // log base √2 = 2·log2
        int b = (int) (2 * (Math.log(micros) / Math.log(2)));
        return Math.min(BINS - 1, Math.max(0, b));
    }

    /** Upper edge of bin {@code b} in µs. */
    static double upper(int b) {
        return Math.pow(2, (b + 1) / 2.0);
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

    public void clear() {
        Arrays.fill(counts, 0);
        total = 0;
    }
}
