package io.dbwire.core.detect.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The time-of-day profile across a restart: its own snapshot, and the earlier form (two days of any type). */
class HourProfileTest {
    static final long DAY = HourProfile.DAY_MICROS;
    static final long H10 = 10 * HourProfile.HOUR_MICROS;
    /** Epoch day 4, 1970-01-05, was a Monday. */
    static final long MONDAY = 4 * DAY;

    @Test
    void aSnapshotRestoresTheSameLevels() {
        HourProfile p = new HourProfile();
        for (int d = 0; d < 13; d++) {
            p.add(MONDAY + d * DAY + H10, d % 7 >= 5 ? 10 : 1_000 + d);
        }
        HourProfile q = new HourProfile();
        q.restore(p.snapshot());
        for (int d = 12; d < 15; d++) {
            assertThat(q.normalAt(MONDAY + d * DAY + H10)).isEqualTo(p.normalAt(MONDAY + d * DAY + H10));
        }
        assertThat(q.snapshot()).isEqualTo(p.snapshot());
    }

    @Test
    void theEarlierFormIsReadAsTheTwoDaysBeforeTheCurrentOne() {
        Map<String, Object> old = new LinkedHashMap<>();
        old.put("day", 10L); // Sunday 1970-01-11; prev1 Saturday, prev2 Friday
        old.put("days", 5L);
        old.put("cur", hours(0));
        old.put("prev1", hours(10));
        old.put("prev2", hours(1_000));
        HourProfile p = new HourProfile();
        p.restore(old);
        // Sunday itself: one weekend day behind (Saturday), so the last two days: Friday and Saturday
        assertThat(p.normalAt(10 * DAY + H10)).isEqualTo(10);
        p.add(10 * DAY + H10, 20);
        // Monday: weekdays behind are only Friday: the last two days, Saturday and Sunday
        assertThat(p.normalAt(11 * DAY + H10)).isEqualTo(10);
    }

    private static List<Object> hours(double v) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            out.add(v);
        }
        return out;
    }
}
