package io.dbwire.core.detect.baseline;

import java.util.Arrays;

/**
 * Median and MAD (median absolute deviation) over the last {@code capacity} values, e.g. one value per closed
 * bucket. The median ignores up to half the window being wild, and a value that lands more than
 * {@code clipSigmas} robust sigmas from the median is winsorised (stored clipped to that edge) once the window is
 * warm: a burst can neither drag the baseline up nor widen the scale, while a lasting level shift still moves the
 * median within half a window.
 *
 * <p>Robust sigma = 1.4826 × MAD (consistent with the standard deviation for normal data), floored at
 * {@code max(minScale, 5% of |median|)} so a flat series (MAD 0) does not turn every change into infinity.
 */
public final class RobustStats {
    /** MAD × this estimates the standard deviation for normally distributed data. */
    static final double MAD_TO_SIGMA = 1.4826;
    /** Share of |median| below which the scale is not allowed to fall. */
    static final double RELATIVE_SCALE_FLOOR = 0.05;

    /**
     * Sorting space shared by every instance on a thread: an engine keeps several per entity and per metric, and a
     * private copy each would double their memory for a buffer used for microseconds.
     */
    private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[64]);

    private final double[] ring;
    private final int minSamples;
    private final double clipSigmas;
    private final double minScale;
    private int size;
    private int next;
    private long clipped;
    private boolean dirty = true;
    private double median;
    private double mad;

    /**
     * @param capacity   values kept (the last N buckets)
     * @param minSamples values needed before the statistic is trusted ({@link #isWarm()}) and clipping starts
     * @param clipSigmas distance from the median, in robust sigmas, beyond which new values are clipped
     * @param minScale   lowest robust sigma, in the metric's unit (1 for counts)
     */
    public RobustStats(int capacity, int minSamples, double clipSigmas, double minScale) {
        this.ring = new double[Math.max(1, capacity)];
        this.minSamples = Math.max(1, Math.min(minSamples, ring.length));
        this.clipSigmas = clipSigmas;
        this.minScale = minScale;
    }

    public void add(double value) {
        double v = value;
        if (isWarm()) {
            double m = median();
            double limit = clipSigmas * sigma();
            if (v > m + limit) {
                v = m + limit;
                clipped++;
            } else if (v < m - limit) {
                v = m - limit;
                clipped++;
            }
        }
        ring[next] = v;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
        dirty = true;
    }

    /** The value added last (as stored, i.e. after clipping), 0 when empty. */
    public double last() {
        return size == 0 ? 0 : ring[(next - 1 + ring.length) % ring.length];
    }

    /** The kept values, oldest first (for a state snapshot). */
    public double[] values() {
        double[] out = new double[size];
        int start = size < ring.length ? 0 : next;
        for (int i = 0; i < size; i++) {
            out[i] = ring[(start + i) % ring.length];
        }
        return out;
    }

    /** Replaces the kept values with {@code values} (oldest first), keeping the newest when there are too many. */
    public void restore(double[] values) {
        int from = Math.max(0, values.length - ring.length);
        size = 0;
        next = 0;
        for (int i = from; i < values.length; i++) {
            ring[next] = values[i];
            next = (next + 1) % ring.length;
            size++;
        }
        dirty = true;
    }

    public boolean isWarm() {
        return size >= minSamples;
    }

    public int size() {
        return size;
    }

    /** Values stored clipped so far. */
    public long clipped() {
        return clipped;
    }

    /** Median of the kept values, 0 when empty. */
    public double median() {
        refresh();
        return median;
    }

    /** Median absolute deviation from the median, 0 when empty. */
    public double mad() {
        refresh();
        return mad;
    }

    /** Robust standard deviation, never below the floor. */
    public double sigma() {
        double m = median();
        return Math.max(MAD_TO_SIGMA * mad, Math.max(minScale, RELATIVE_SCALE_FLOOR * Math.abs(m)));
    }

    /** How many robust sigmas {@code value} lies above (positive) or below the median. */
    public double zScore(double value) {
        return (value - median()) / sigma();
    }

    private void refresh() {
        if (!dirty) {
            return;
        }
        dirty = false;
        if (size == 0) {
            median = 0;
            mad = 0;
            return;
        }
        double[] scratch = SCRATCH.get();
        if (scratch.length < size) {
            scratch = new double[size];
            SCRATCH.set(scratch);
        }
        System.arraycopy(ring, 0, scratch, 0, size); // ring slots [0, size) are the live ones
        median = medianOf(scratch, size);
        for (int i = 0; i < size; i++) {
            scratch[i] = Math.abs(ring[i] - median);
        }
        mad = medianOf(scratch, size);
    }

    private static double medianOf(double[] values, int n) {
        Arrays.sort(values, 0, n);
        int mid = n >>> 1;
        return (n & 1) == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2.0;
    }
}
