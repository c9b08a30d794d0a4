package io.dbwire.core.detect.detector;

import static io.dbwire.core.detect.detector.BaselineDetectorsTest.stmt;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.TestRecords;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.Severity;
import java.util.Comparator;
import org.junit.jupiter.api.Test;

/** A lock-contention incident: the application's busiest statement slow on every application host. */
class LatencyRegressionSeverityTest {
    static final String BUSY = "SELECT * FROM orders WHERE id = ?";
    static final String RARE = "SELECT * FROM settings";

    /** {@code hosts} application hosts, each 20 busy and 2 rare statements a minute; busy ones take {@code busyUs}. */
    private static void minutes(TestRecords.Run run, int from, int to, int hosts, long busyUs) {
        for (int m = from; m < to; m++) {
            for (int h = 0; h < hosts; h++) {
                String client = "10.1.0." + (10 + h);
                for (int i = 0; i < 20; i++) {
                    run.feed(stmt(m * 60 + i * 2.9 + h * 0.1, client, BUSY, 1L, 200, busyUs + (i % 4) * 500, null));
                }
                run.feed(stmt(m * 60 + 59 + h * 0.1, client, RARE, 1L, 200, 3_000, null));
            }
        }
    }

    private static Alert worst(TestRecords.Run run) {
        return run.alerts.stream().max(Comparator.comparing(Alert::severity)).orElseThrow();
    }

    @Test
    void tenTimesForFiveMinutesOnSeveralHostsIsMedium() {
        TestRecords.Run run = TestRecords.cfg().only("latency_regression").run();
        minutes(run, 0, 95, 3, 20_000);
        minutes(run, 95, 101, 3, 250_000); // 12× for six minutes
        minutes(run, 101, 105, 3, 20_000);
        run.engine.finish();
        Alert a = worst(run);
        assertThat(a.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(a.score()).isBetween(50.0, 95.0);
        assertThat((int) a.observed().get("clients")).isEqualTo(3);
        assertThat(a.explanation().rule()).isEqualTo("sustained_p95_broad");
        assertThat(a.explanation().samples()).isEqualTo(60);
        assertThat(a.explanation().records()).hasSize(1);
        // the first alert after three slow minutes is still LOW: five minutes make it MEDIUM
        assertThat(run.alerts.get(0).severity()).isEqualTo(Severity.LOW);
    }

    /** Like {@link #minutes}, but one busy statement in ten takes {@code tailUs} instead of {@code busyUs}. */
    private static void minutesWithTail(TestRecords.Run run, int from, int to, int hosts, long busyUs, long tailUs) {
        for (int m = from; m < to; m++) {
            for (int h = 0; h < hosts; h++) {
                String client = "10.1.0." + (10 + h);
                for (int i = 0; i < 20; i++) {
                    run.feed(stmt(m * 60 + i * 2.9 + h * 0.1, client, BUSY, 1L, 200, i % 10 == 0 ? tailUs : busyUs,
                            null));
                }
            }
        }
    }

    @Test
    void theTypicalStatementThirtyTimesSlowerIsMediumWhenTheTailHidesIt() {
        // a loaded client machine: the usual minute's p95 is its 45 ms stragglers, the median 2 ms; in the incident
        // the median is 70 ms (35x) while the p95 only goes to 250 ms (about 5.7x)
        TestRecords.Run run = TestRecords.cfg().only("latency_regression").run();
        minutesWithTail(run, 0, 95, 3, 2_000, 45_000);
        minutesWithTail(run, 95, 105, 3, 70_000, 250_000);
        run.engine.finish();
        Alert a = worst(run);
        assertThat(a.severity()).isEqualTo(Severity.MEDIUM);
        assertThat((double) a.observed().get("ratio")).isGreaterThan(10);
        assertThat((long) a.observed().get("p50_us")).isGreaterThan(60_000);
        assertThat((long) a.baseline().get("p50_median_us")).isLessThan(3_000);
        assertThat(a.summary()).contains("; median 93 ms, usually 2 ms (45x, 3 clients");
    }

    @Test
    void aHundredTimesForHalfAnHourOnEveryHostIsHigh() {
        TestRecords.Run run = TestRecords.cfg().only("latency_regression").run();
        minutes(run, 0, 95, 5, 10_000);
        minutes(run, 95, 125, 5, 1_000_000);
        run.engine.finish();
        assertThat(worst(run).severity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void oneClientOrAShortSlowdownStaysLow() {
        TestRecords.Run run = TestRecords.cfg().only("latency_regression").run();
        minutes(run, 0, 95, 1, 20_000);
        minutes(run, 95, 105, 1, 1_000_000);
        run.engine.finish();
        assertThat(run.alerts).isNotEmpty().allSatisfy(a -> assertThat(a.severity()).isEqualTo(Severity.LOW));
    }

    @Test
    void severityRules() {
        assertThat(LatencyRegressionDetector.severity(10, 5, 2, 0.1)).isEqualTo(Severity.MEDIUM);
        assertThat(LatencyRegressionDetector.severity(9, 30, 9, 1)).isEqualTo(Severity.LOW);
        assertThat(LatencyRegressionDetector.severity(10, 4, 9, 1)).isEqualTo(Severity.LOW);
        assertThat(LatencyRegressionDetector.severity(100, 30, 2, 0.05)).isEqualTo(Severity.LOW); // a rare statement
        assertThat(LatencyRegressionDetector.severity(100, 30, 2, 0.2)).isEqualTo(Severity.HIGH);
        assertThat(LatencyRegressionDetector.severity(12, 6, 3, 0.9)).isEqualTo(Severity.MEDIUM);
    }
}
