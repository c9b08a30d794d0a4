package io.dbwire.core.detect.baseline;

/**
 * The shared test of "far above this entity's normal" for a bucket value: every condition must hold, so a
 * detector is quiet unless the value is large in absolute terms, far in robust sigmas, and a multiple of both the
 * median and the highest level the entity has shown (its stored peak, or after two days the level normal at this
 * time of day). The peak is what keeps a regular hourly report job, already seen, from alerting each time it runs.
 *
 * @param floor      absolute minimum: tiny numbers never alert
 * @param minSigmas  robust sigmas above the median
 * @param minRatio   multiple of max(median, peak, 1)
 * @param minHistory buckets of history before the entity is scored at all
 */
public record Spike(double floor, double minSigmas, double minRatio, int minHistory) {

    /** How many times the value is above the reference, or 0 when it is not a spike. */
    public double ratio(EntityBaseline b, Metric m, long bucketStart) {
        RobustStats h = b.history(m);
        double v = b.current(m);
        if (h.size() < minHistory || v < floor || h.zScore(v) < minSigmas) {
            return 0;
        }
        double ratio = v / reference(b, m, bucketStart);
        return ratio >= minRatio ? ratio : 0;
    }

    /**
     * What the value is compared with: the larger of 1, the median and the level normal for the entity at this
     * time of day once two days of history exist ({@link HourProfile}), or its stored peak before that.
     */
    public static double reference(EntityBaseline b, Metric m, long bucketStart) {
        double hourly = b.normalAt(m, bucketStart);
        return Math.max(1, Math.max(b.history(m).median(), hourly >= 0 ? hourly : b.peak(m)));
    }

    /** Score 50 at the minimum ratio rising to 95 at 10× it, logarithmically. */
    public double score(double ratio) {
        double x = Math.log(ratio / minRatio) / Math.log(10);
        return Math.round(50 + 45 * Math.max(0, Math.min(1, x)));
    }

    /** One decimal, for figures in alerts. */
    public static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
