package io.dbwire.core.detect.baseline;

import io.dbwire.core.detect.state.StateTree;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Time-of-day awareness for one metric of one entity: the highest bucket value seen in each hour of the day (UTC),
 * for the current day and the two days before. Once two whole days are behind, the level normal for an hour is
 * the lower of those two days' highs, taken over that hour and its neighbours (a job drifting across an hour
 * boundary stays in): a nightly export seen on two days running is normal at night, a one-day burst teaches
 * nothing, and a client that pulls a lot only by day is still judged by its quiet nights. Raw values are kept
 * (not clipped): they only ever apply to later days, so an attack cannot ramp itself up within a day.
 */
public final class HourProfile {
    public static final long DAY_MICROS = 86_400_000_000L;
    public static final long HOUR_MICROS = 3_600_000_000L;
    /** Whole days behind before the profile is used. */
    static final int MIN_DAYS = 2;

    private long curDay = Long.MIN_VALUE;
    private int daysCompleted;
    private double[] cur = new double[24];
    private double[] prev1 = new double[24];
    private double[] prev2 = new double[24];

    public void add(long bucketStart, double value) {
        long day = Math.floorDiv(bucketStart, DAY_MICROS);
        if (curDay == Long.MIN_VALUE) {
            curDay = day;
        } else if (day > curDay) {
            // a gap of several days counts as one: the older highs are still the best guess there is
            double[] recycled = prev2;
            prev2 = prev1;
            prev1 = cur;
            cur = recycled;
            java.util.Arrays.fill(cur, 0);
            curDay = day;
            daysCompleted++;
        }
        int h = hour(bucketStart);
        cur[h] = Math.max(cur[h], value);
    }

    /** The normal level for the bucket starting at {@code bucketStart}, or -1 while the profile is not ready. */
    public double normalAt(long bucketStart) {
        long day = Math.floorDiv(bucketStart, DAY_MICROS);
        double[] a;
        double[] b;
        if (day == curDay && daysCompleted >= MIN_DAYS) {
            a = prev1;
            b = prev2;
        } else if (day > curDay && curDay != Long.MIN_VALUE && daysCompleted + 1 >= MIN_DAYS) {
            a = cur;
            b = prev1;
        } else {
            return -1;
        }
        int h = hour(bucketStart);
        double best = 0;
        for (int d = -1; d <= 1; d++) {
            int x = Math.floorMod(h + d, 24);
            best = Math.max(best, Math.min(a[x], b[x]));
        }
        return best;
    }

    private static int hour(long bucketStart) {
        return (int) (Math.floorMod(bucketStart, DAY_MICROS) / HOUR_MICROS);
    }

    Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("day", curDay);
        m.put("days", daysCompleted);
        m.put("cur", StateTree.toList(cur));
        m.put("prev1", StateTree.toList(prev1));
        m.put("prev2", StateTree.toList(prev2));
        return m;
    }

    void restore(Object tree) {
        Map<String, Object> m = StateTree.map(tree, "hours");
        curDay = StateTree.asLong(m.get("day"), "hours.day");
        daysCompleted = (int) StateTree.asLong(m.get("days"), "hours.days");
        cur = hours(m.get("cur"));
        prev1 = hours(m.get("prev1"));
        prev2 = hours(m.get("prev2"));
    }

    private static double[] hours(Object tree) {
        double[] v = StateTree.doubles(tree, "hours");
        if (v.length != 24) {
            throw new StateTree.BadSnapshot("hours: " + v.length + " values (expected: 24)");
        }
        return v;
    }
}
