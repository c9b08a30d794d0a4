package io.dbwire.core.detect.baseline;

import io.dbwire.core.detect.state.StateTree;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which hours of the day (UTC) an entity has been watched through on an earlier day: the maturity of its
 * time-of-day baseline. An hour counts once the entity was known when a bucket starting at the top of that hour
 * closed, so a sensor started at 02:30 has not watched 02:00–03:00 that day, and hours the sensor was down (buckets
 * skipped) are not watched either. Until an hour has been watched on an earlier day, nothing says what the entity
 * normally does then (a nightly job, a month-end report): volume and rate detections cap their severity there.
 */
public final class SlotCoverage {
    private long day = Long.MIN_VALUE;
    /** Bit h: hour h watched on the current day. */
    private int today;
    /** Bit h: hour h watched on an earlier day. */
    private int earlier;

    /** The bucket starting at {@code bucketStart} closed while the entity was known. */
    public void watched(long bucketStart) {
        if (Math.floorMod(bucketStart, HourProfile.HOUR_MICROS) != 0) {
            return;
        }
        long d = Math.floorDiv(bucketStart, HourProfile.DAY_MICROS);
        if (d != day) {
            earlier |= today;
            today = 0;
            day = d;
        }
        today |= 1 << hour(bucketStart);
    }

    /** Bit h set: hour h was watched on a day before the one {@code bucketStart} is in. */
    public int watchedBefore(long bucketStart) {
        long d = Math.floorDiv(bucketStart, HourProfile.DAY_MICROS);
        return d > day ? earlier | today : earlier;
    }

    /** Whether {@code mask} (from {@link #watchedBefore}) holds the hour of {@code bucketStart}. */
    public static boolean covers(int mask, long bucketStart) {
        return (mask >>> hour(bucketStart) & 1) != 0;
    }

    /** Hours of the day watched before, 0–24, for {@code dbwire baselines} and alert explanations. */
    public static int hours(int mask) {
        return Integer.bitCount(mask);
    }

    private static int hour(long bucketStart) {
        return (int) (Math.floorMod(bucketStart, HourProfile.DAY_MICROS) / HourProfile.HOUR_MICROS);
    }

    Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("day", day);
        m.put("today", today);
        m.put("earlier", earlier);
        return m;
    }

    void restore(Object tree) {
        Map<String, Object> m = StateTree.map(tree, "watched");
        day = StateTree.asLong(m.get("day"), "watched.day");
        today = (int) StateTree.asLong(m.get("today"), "watched.today");
        earlier = (int) StateTree.asLong(m.get("earlier"), "watched.earlier");
    }
}
