package io.dbwire.core.detect.detector;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.TestRecords;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.baseline.HourProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A nightly job is known for its hour from its second night on (a run of a recurring job) and its volume after two
 * days (the time-of-day profile); the same volume by day, reading another table, is still staging.
 */
class TimeOfDayTest {
    static final String WORKER = "10.1.0.21";
    static final long DAY = 86_400;

    @Test
    void aNightlyExportIsLearnedForItsHourOnly() {
        TestRecords.Run run = TestRecords.cfg().only("data_staging").run();
        for (long day = 0; day < 3; day++) {
            for (long minute = 0; minute < 24 * 60; minute++) {
                long t = day * DAY + minute * 60;
                run.feed(BaselineDetectorsTest.stmt(t + 10, WORKER, "SELECT * FROM jobs WHERE id = ?", 10L, 2_000, 900, null),
                        BaselineDetectorsTest.stmt(t + 40, WORKER, "SELECT * FROM jobs WHERE id = ?", 10L, 2_000, 900, null));
                if (minute >= 3 * 60 && minute < 3 * 60 + 3) { // 03:00–03:03 every night
                    run.feed(BaselineDetectorsTest.stmt(t + 20, WORKER, "COPY orders TO STDOUT", 200_000L, 20_000_000, 9_000_000, null));
                }
                if (day == 2 && minute == 14 * 60) { // the same volume at 14:00 on the third day
                    run.feed(BaselineDetectorsTest.stmt(t + 20, WORKER, "COPY customers TO STDOUT", 200_000L, 20_000_000, 9_000_000, null));
                }
            }
        }
        run.engine.finish();
        List<String> when = run.alerts.stream()
                .map(a -> "day" + (a.windowStartMicros() - TestRecords.T0) / (DAY * 1_000_000L) + " "
                        + String.format("%02d", (a.windowStartMicros() - TestRecords.T0) / 3_600_000_000L % 24))
                .distinct().toList();
        // day 0 is the job's first run after the learning period; from day 1 on it is a recurring job
        assertThat(when).containsExactly("day0 03", "day2 14");
        // day 0 is the first daily cycle: nothing said yet what the worker moves at 03:00, hence low
        assertThat(run.alerts.get(0).severity()).isEqualTo(io.dbwire.core.detect.alert.Severity.LOW);
        assertThat(run.alerts.get(run.alerts.size() - 1).severity())
                .isGreaterThanOrEqualTo(io.dbwire.core.detect.alert.Severity.MEDIUM);
        assertThat(run.engine.counters().get(io.dbwire.core.detect.engine.DetectEvent.ROUTINE_JOB_RECOGNISED))
                .isPositive();
        Alert day2 = run.alerts.get(run.alerts.size() - 1);
        assertThat(day2.evidence()).singleElement().asString().startsWith("COPY customers TO STDOUT");
    }

    @Test
    void theProfileNeedsTwoDaysAndTakesTheLowerDay() {
        HourProfile p = new HourProfile();
        long h3 = 3 * HourProfile.HOUR_MICROS;
        p.add(h3, 100);
        assertThat(p.normalAt(HourProfile.DAY_MICROS + h3)).isEqualTo(-1);
        p.add(HourProfile.DAY_MICROS + h3, 5_000); // a one-day burst
        assertThat(p.normalAt(2 * HourProfile.DAY_MICROS + h3)).isEqualTo(100);
        assertThat(p.normalAt(2 * HourProfile.DAY_MICROS + 4 * HourProfile.HOUR_MICROS)).isEqualTo(100); // neighbour hour
        assertThat(p.normalAt(2 * HourProfile.DAY_MICROS + 12 * HourProfile.HOUR_MICROS)).isZero();
    }

    /** Epoch day 4, 1970-01-05, was a Monday. */
    static final long MONDAY = 4 * HourProfile.DAY_MICROS;

    @Test
    void weekdaysAreComparedWithWeekdaysAndWeekendsWithWeekends() {
        HourProfile p = new HourProfile();
        long h10 = 10 * HourProfile.HOUR_MICROS;
        for (int d = 0; d < 12; d++) { // Monday to the second Friday: busy at 10:00 on weekdays, quiet at weekends
            boolean weekend = d % 7 >= 5;
            p.add(MONDAY + d * HourProfile.DAY_MICROS + h10, weekend ? 10 : 1_000);
        }
        long day = HourProfile.DAY_MICROS;
        // the second Saturday: the last weekend's, not Thursday's and Friday's
        assertThat(p.normalAt(MONDAY + 12 * day + h10)).isEqualTo(10);
        // the next Monday, after that weekend: the Thursday and Friday before
        HourProfile q = new HourProfile();
        for (int d = 0; d < 14; d++) {
            q.add(MONDAY + d * day + h10, d % 7 >= 5 ? 10 : 1_000);
        }
        assertThat(q.normalAt(MONDAY + 14 * day + h10)).isEqualTo(1_000);
    }

    @Test
    void theFirstWeekendFallsBackToTheLastTwoDays() {
        HourProfile p = new HourProfile();
        long h10 = 10 * HourProfile.HOUR_MICROS;
        long day = HourProfile.DAY_MICROS;
        for (int d = 0; d < 6; d++) { // Monday to Saturday
            p.add(MONDAY + d * day + h10, d == 5 ? 10 : 1_000);
        }
        assertThat(p.normalAt(MONDAY + 5 * day + h10)).isEqualTo(1_000); // Saturday itself: Thursday and Friday
        assertThat(p.normalAt(MONDAY + 6 * day + h10)).isEqualTo(10); // Sunday: one weekend day only, Friday and Saturday
    }
}
