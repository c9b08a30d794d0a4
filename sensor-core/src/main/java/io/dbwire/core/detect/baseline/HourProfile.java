package io.dbwire.core.detect.baseline;

import io.dbwire.core.detect.state.StateTree;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Time-of-day and day-of-week awareness for one metric of one entity: the highest bucket value seen in each hour of
 * the day (UTC) for the current day, the last two completed weekdays and the last two completed weekend days.
 *
 * <p>The level normal for an hour is the lower of two earlier days' highs, taken over that hour and its neighbours
 * (a job drifting across an hour boundary stays in). The two days are the last two of the same <em>day type</em>
 * (Monday is compared with the Thursday and Friday before, not with the weekend; Saturday with the last weekend)
 * once two such days are behind, else the last two days of any type, as long as two whole days are behind at all.
 * So a nightly export seen on two days running is normal at night, a one-day burst teaches nothing, a client that
 * pulls a lot only by day is still judged by its quiet nights, and an office-hours load is not compared with a quiet
 * weekend. Raw values are kept (not clipped): they only ever apply to later days, so an attack cannot ramp itself up
 * within a day. Values are floats: a threshold a factor of ten away needs no more precision.
 */
public final class HourProfile {
    public static final long DAY_MICROS = 86_400_000_000L;
    public static final long HOUR_MICROS = 3_600_000_000L;
    /** Whole days behind before the profile is used. */
    static final int MIN_DAYS = 2;
    private static final long NONE = Long.MIN_VALUE;

    private long curDay = NONE;
    private int daysCompleted;
    private float[] cur = new float[24];
    /** [0] the latest completed weekday, [1] the one before; same for weekends. */
    private final float[][] weekdays = {new float[24], new float[24]};
    private final float[][] weekends = {new float[24], new float[24]};
    private final long[] weekdayDays = {NONE, NONE};
    private final long[] weekendDays = {NONE, NONE};

    public void add(long bucketStart, double value) {
        long day = Math.floorDiv(bucketStart, DAY_MICROS);
        if (curDay == NONE) {
            curDay = day;
        } else if (day > curDay) {
            complete();
            curDay = day;
        }
        int h = hour(bucketStart);
        cur[h] = (float) Math.max(cur[h], value);
    }

    /** Files the current day under its type; a gap of several days counts as one (the older highs are still the best guess). */
    private void complete() {
        boolean weekend = weekend(curDay);
        float[][] pair = weekend ? weekends : weekdays;
        long[] days = weekend ? weekendDays : weekdayDays;
        float[] recycled = pair[1];
        pair[1] = pair[0];
        pair[0] = cur;
        days[1] = days[0];
        days[0] = curDay;
        cur = recycled;
        java.util.Arrays.fill(cur, 0);
        daysCompleted++;
    }

    /** The normal level for the bucket starting at {@code bucketStart}, or -1 while the profile is not ready. */
    public double normalAt(long bucketStart) {
        long day = Math.floorDiv(bucketStart, DAY_MICROS);
        if (curDay == NONE || day < curDay) {
            return -1;
        }
        boolean curDone = day > curDay; // the open day lies before the asked one: it counts as completed
        if (daysCompleted + (curDone ? 1 : 0) < MIN_DAYS) {
            return -1;
        }
        // the two latest completed days of the asked day's type, else of any type (no allocation: once a minute
        // per entity)
        boolean weekend = weekend(day);
        float[][] pair = weekend ? weekends : weekdays;
        long[] days = weekend ? weekendDays : weekdayDays;
        float[] a = null;
        float[] b = null;
        if (curDone && weekend(curDay) == weekend) {
            if (days[0] != NONE) {
                a = cur;
                b = pair[0];
            }
        } else if (days[1] != NONE) {
            a = pair[0];
            b = pair[1];
        }
        if (a == null) {
            long firstDay = NONE;
            long secondDay = NONE;
            for (int i = curDone ? -1 : 0; i < 4; i++) {
                long d = i < 0 ? curDay : i < 2 ? weekdayDays[i] : weekendDays[i - 2];
                float[] v = i < 0 ? cur : i < 2 ? weekdays[i] : weekends[i - 2];
                if (d == NONE) {
                    continue;
                }
                if (d > firstDay) {
                    b = a;
                    secondDay = firstDay;
                    a = v;
                    firstDay = d;
                } else if (d > secondDay) {
                    b = v;
                    secondDay = d;
                }
            }
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

    /** Saturday or Sunday (UTC) for a day counted from the epoch; 1970-01-01 was a Thursday. */
    public static boolean weekend(long epochDay) {
        return Math.floorMod(epochDay + 3, 7) >= 5; // 0 = Monday
    }

    Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("day", curDay);
        m.put("days", daysCompleted);
        m.put("cur", list(cur));
        m.put("weekday_days", java.util.List.of(weekdayDays[0], weekdayDays[1]));
        m.put("weekdays", java.util.List.of(list(weekdays[0]), list(weekdays[1])));
        m.put("weekend_days", java.util.List.of(weekendDays[0], weekendDays[1]));
        m.put("weekends", java.util.List.of(list(weekends[0]), list(weekends[1])));
        return m;
    }

    /** Takes this form, or the earlier one (the two previous days, {@code prev1} and {@code prev2}, of any type). */
    void restore(Object tree) {
        Map<String, Object> m = StateTree.map(tree, "hours");
        curDay = StateTree.asLong(m.get("day"), "hours.day");
        daysCompleted = (int) StateTree.asLong(m.get("days"), "hours.days");
        cur = hours(m.get("cur"));
        if (m.containsKey("prev1")) {
            // filed as the two days before the current one, oldest first, as complete() would have
            long open = curDay;
            float[] keep = cur;
            int known = Math.min(daysCompleted, 2);
            float[][] prev = {hours(m.get("prev2")), hours(m.get("prev1"))};
            for (int i = 2 - known; i < 2; i++) {
                curDay = open - 2 + i;
                cur = prev[i];
                complete();
            }
            curDay = open;
            cur = keep;
            daysCompleted = (int) StateTree.asLong(m.get("days"), "hours.days");
            return;
        }
        restorePair(m, "weekday", weekdays, weekdayDays);
        restorePair(m, "weekend", weekends, weekendDays);
    }

    private static void restorePair(Map<String, Object> m, String type, float[][] pair, long[] days) {
        java.util.List<Object> d = StateTree.list(m.get(type + "_days"), "hours." + type + "_days");
        java.util.List<Object> values = StateTree.list(m.get(type + "s"), "hours." + type + "s");
        if (d.size() != 2 || values.size() != 2) {
            throw new StateTree.BadSnapshot("hours." + type + "s: " + values.size() + " days (expected: 2)");
        }
        for (int i = 0; i < 2; i++) {
            days[i] = StateTree.asLong(d.get(i), "hours." + type + "_days");
            pair[i] = hours(values.get(i));
        }
    }

    private static java.util.List<Object> list(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return new java.util.ArrayList<Object>(StateTree.toList(d));
    }

    private static float[] hours(Object tree) {
        double[] v = StateTree.doubles(tree, "hours");
        if (v.length != 24) {
            throw new StateTree.BadSnapshot("hours: " + v.length + " values (expected: 24)");
        }
        float[] out = new float[24];
        for (int i = 0; i < 24; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
