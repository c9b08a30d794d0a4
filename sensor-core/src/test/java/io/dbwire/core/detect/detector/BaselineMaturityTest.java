package io.dbwire.core.detect.detector;

import static io.dbwire.core.detect.detector.BaselineDetectorsTest.stmt;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.TestRecords;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.baseline.SlotCoverage;
import io.dbwire.core.detect.engine.DetectEvent;
import org.junit.jupiter.api.Test;

/**
 * The first daily cycle: a heavy read at an hour the server was never watched through before is reported at low
 * (nothing says what the server sends then), the same read once that hour has been watched keeps its severity.
 */
class BaselineMaturityTest {
    static final String APP = "10.1.0.11";
    static final long DAY = 86_400;

    /** Two statements a minute from the application, every minute of {@code [fromMinute, toMinute)}. */
    private static void app(TestRecords.Run run, long fromMinute, long toMinute) {
        for (long m = fromMinute; m < toMinute; m++) {
            run.feed(stmt(m * 60 + 10, APP, "SELECT * FROM t WHERE id = ?", 1L, 200, 800, null),
                    stmt(m * 60 + 40, APP, "SELECT * FROM t WHERE id = ?", 1L, 200, 800, null));
        }
    }

    private static void export(TestRecords.Run run, double sec, String client) {
        run.feed(stmt(sec, client, "COPY customers TO STDOUT", 400_000L, 60_000_000, 9_000_000, null));
    }

    @Test
    void aNewClientsWholeTableReadInTheFirstNightIsLowAndSaysWhy() {
        TestRecords.Run run = TestRecords.cfg().only("data_staging").run();
        app(run, 0, 120);
        export(run, 120 * 60 + 5, "10.1.0.40"); // 02:00 on the first day, an hour after learning
        app(run, 121, 125);
        assertThat(run.alerts).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(Severity.LOW);
            assertThat(a.observed()).containsEntry("uncapped_severity", "critical").containsEntry("new_client", true);
            assertThat(a.baseline()).containsEntry("hour_watched_before", false).containsEntry("hours_watched", 0);
            assertThat(a.summary()).contains("never watched at this hour before");
            assertThat(a.score()).isLessThanOrEqualTo(30);
        });
        assertThat(run.engine.counters().get(DetectEvent.SEVERITY_CAPPED_IMMATURE)).isEqualTo(1);
    }

    @Test
    void onceTheHourWasWatchedTheSameReadKeepsItsSeverity() {
        TestRecords.Run run = TestRecords.cfg().only("data_staging").run();
        app(run, 0, 24 * 60 + 14 * 60);
        export(run, DAY + 14 * 3600 + 5, "10.9.0.66"); // 14:00 on the second day
        app(run, 24 * 60 + 14 * 60 + 1, 24 * 60 + 14 * 60 + 5);
        Alert a = run.alerts.get(0);
        assertThat(run.alerts).hasSize(1);
        assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(a.baseline()).containsEntry("hour_watched_before", true).containsEntry("hours_watched", 24);
        assertThat(a.observed()).doesNotContainKey("uncapped_severity");
    }

    @Test
    void aRateSpikeInTheFirstDayIsLowToo() {
        TestRecords.Run run = TestRecords.cfg().only("rate_spike").run();
        BaselineDetectorsTest.steady(run, APP, 0, 100, 20);
        BaselineDetectorsTest.steady(run, APP, 100, 101, 2_000);
        run.engine.advanceTo(TestRecords.at(101 * 60));
        assertThat(run.alerts).singleElement().satisfies(a -> {
            assertThat(a.detection()).isEqualTo("rate_spike");
            assertThat(a.severity()).isEqualTo(Severity.LOW);
            assertThat(a.observed()).containsEntry("uncapped_severity", "high");
        });
    }

    @Test
    void anHourIsWatchedFromItsTopOnlyAndCountsFromTheNextDay() {
        long hour = 3_600_000_000L;
        SlotCoverage c = new SlotCoverage();
        c.watched(2 * hour + 30 * 60_000_000L); // the sensor started at 02:30: 02:00-03:00 not watched whole
        c.watched(3 * hour);
        assertThat(SlotCoverage.covers(c.watchedBefore(3 * hour + 60_000_000L), 3 * hour)).isFalse(); // same day
        long nextDay = 24 * hour;
        int mask = c.watchedBefore(nextDay + 3 * hour);
        assertThat(SlotCoverage.covers(mask, nextDay + 3 * hour)).isTrue();
        assertThat(SlotCoverage.covers(mask, nextDay + 2 * hour)).isFalse();
        assertThat(SlotCoverage.hours(mask)).isEqualTo(1);
    }
}
