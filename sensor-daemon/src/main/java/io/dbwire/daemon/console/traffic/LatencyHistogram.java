package io.dbwire.daemon.console.traffic;

/**
 * Latencies in microseconds counted in log-spaced buckets: {@code subBuckets} steps per power of two, 32 powers
 * (1 µs to about 71 minutes; longer values land in the last bucket). Fixed size, so a quantile is within one step
 * (19 % with 4 steps, 100 % with 1) and memory never grows. Quantiles answer a bucket's upper bound.
 */
final class LatencyHistogram {
    private static final int OCTAVES = 32;

    private final int subBuckets;
    private final long[] counts;
    private long total;

    LatencyHistogram(int subBuckets) {
        if (subBuckets != 1 && subBuckets != 2 && subBuckets != 4) {
            throw new IllegalArgumentException("subBuckets: " + subBuckets + " (expected: 1, 2 or 4)");
        }
        this.subBuckets = subBuckets;
        this.counts = new long[OCTAVES * subBuckets];
    }

    void add(long micros) {
        counts[index(Math.max(1, micros))]++;
        total++;
    }

    void addAll(LatencyHistogram other) {
        if (other.subBuckets != subBuckets) {
            throw new IllegalArgumentException("histograms of different resolution");
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    void clear() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
    }

    long count() {
        return total;
    }

    /** Upper bound of the bucket holding quantile {@code q} (0..1), or -1 when empty. */
    long quantile(double q) {
        if (total == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return upperBound(i);
            }
        }
        return upperBound(counts.length - 1);
    }

    private int index(long micros) {
        int octave = 63 - Long.numberOfLeadingZeros(micros);
        int shift = Integer.numberOfTrailingZeros(subBuckets); // log2(subBuckets)
        int fraction = octave >= shift
                ? (int) ((micros >>> (octave - shift)) & (subBuckets - 1))
                : (int) ((micros << (shift - octave)) & (subBuckets - 1));
        return Math.min(counts.length - 1, octave * subBuckets + fraction);
    }

    private long upperBound(int index) {
        int octave = index / subBuckets;
        int fraction = index % subBuckets;
        double base = Math.pow(2, octave);
        return Math.max(1, Math.round(base * (1 + (fraction + 1) / (double) subBuckets)) - 1);
    }
}
