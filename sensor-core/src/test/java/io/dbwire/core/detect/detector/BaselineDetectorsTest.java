package io.dbwire.core.detect.detector;

import static io.dbwire.core.detect.TestRecords.PG;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.TestRecords;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.baseline.LatencySketch;
import io.dbwire.core.record.ErrorInfo;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.ResponseInfo;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.record.TransactionRecord;
import org.junit.jupiter.api.Test;

/** rate_spike, error_burst, data_staging, latency_regression and new_statement on small hand-made series. */
public class BaselineDetectorsTest {
    static final String WEB = "10.1.0.1";

    public static TransactionRecord stmt(double sec, String client, String sql, Long rows, long bytes, long durUs, String err) {
        TransactionRecord r = TestRecords.statement(sec, client, PG, "app", sql);
        return r.toBuilder().statement(new StatementInfo(sql, Integer.toHexString(sql.hashCode()), "SELECT"))
                .response(new ResponseInfo(rows, null, bytes, durUs, durUs))
                .status(err == null ? RecordStatus.OK : RecordStatus.ERROR)
                .error(err == null ? null : new ErrorInfo(err, "x")).build();
    }

    /** {@code perMinute} ordinary statements a minute from {@code client}, minutes [from, to). */
    public static void steady(TestRecords.Run run, String client, int from, int to, int perMinute) {
        for (int m = from; m < to; m++) {
            for (int i = 0; i < perMinute; i++) {
                run.feed(stmt(m * 60 + i * (59.0 / perMinute), client, "SELECT * FROM t WHERE id = ?", 1L, 200,
                        800 + (i % 5) * 100, null));
            }
        }
    }

    /**
     * One statement from {@code client} at 00:00 and 01:00 the day before: the server has been watched through the
     * hours the tests below score (their severity ladder is that of a mature baseline; BaselineMaturityTest covers
     * the first daily cycle).
     */
    public static void watchedTheDayBefore(TestRecords.Run run, String client) {
        run.feed(stmt(-86_400, client, "SELECT 1", 1L, 100, 500, null));
        run.feed(stmt(-86_400 + 3_630, client, "SELECT 1", 1L, 100, 500, null));
    }

    @Test
    void rateSpikeNeedsFloorRatioAndHistory() {
        TestRecords.Run run = TestRecords.cfg().only("rate_spike").run();
        watchedTheDayBefore(run, WEB);
        steady(run, WEB, 0, 95, 20);
        steady(run, WEB, 95, 96, 500); // 25× but under the floor of 600
        steady(run, WEB, 96, 100, 20);
        run.engine.advanceTo(TestRecords.at(100 * 60));
        assertThat(run.alerts).isEmpty();
        steady(run, WEB, 100, 101, 2_000);
        run.engine.advanceTo(TestRecords.at(101 * 60));
        assertThat(run.alerts).singleElement().satisfies(a -> {
            assertThat(a.detection()).isEqualTo("rate_spike");
            assertThat(a.severity()).isEqualTo(Severity.HIGH); // 100× the median
            assertThat(a.observed().get("statements")).isEqualTo(2_000L);
            assertThat(a.windowStartMicros()).isEqualTo(TestRecords.at(100 * 60));
        });
    }

    @Test
    void nothingIsScoredDuringLearning() {
        TestRecords.Run run = TestRecords.cfg().only("rate_spike", "error_burst", "data_staging").run();
        steady(run, WEB, 0, 40, 20);
        steady(run, WEB, 40, 41, 5_000);
        run.engine.advanceTo(TestRecords.at(41 * 60));
        assertThat(run.alerts).isEmpty();
    }

    @Test
    void errorBurstCountsProbingErrorsOnly() {
        TestRecords.Run run = TestRecords.cfg().only("error_burst").run();
        steady(run, WEB, 0, 95, 20);
        for (int i = 0; i < 50; i++) { // unique violations: the application's business, not probing
            run.feed(stmt(95 * 60 + i, WEB, "INSERT INTO t VALUES (?)", null, 90, 500, "23505"));
        }
        for (int i = 0; i < 19; i++) { // under the floor of 20
            run.feed(stmt(96 * 60 + i, WEB, "SELECT * FROM t WHERE id = ?)", null, 90, 500, "42601"));
        }
        run.engine.advanceTo(TestRecords.at(97 * 60));
        assertThat(run.alerts).isEmpty();
        for (int i = 0; i < 40; i++) {
            run.feed(stmt(97 * 60 + i, WEB, "SELECT * FROM t WHERE id = ? UNION SELECT ?", null, 90, 500, "42601"));
        }
        run.engine.advanceTo(TestRecords.at(98 * 60));
        assertThat(run.alerts).singleElement().satisfies(a -> {
            assertThat(a.detection()).isEqualTo("error_burst");
            assertThat(a.severity()).isEqualTo(Severity.MEDIUM);
            // the sliding window: 19 errors at 96:00–96:18 and the first of the next ones are 20 within 60 s
            assertThat(a.explanation().rule()).isEqualTo("sliding_window");
            assertThat(a.evidence()).containsExactly("SELECT * FROM t WHERE id = ? UNION SELECT ? -> error 42601",
                    "SELECT * FROM t WHERE id = ?) -> error 42601");
        });
    }

    @Test
    void dataStagingComparesWithOwnBaselineAndPeers() {
        TestRecords.Run run = TestRecords.cfg().only("data_staging").run();
        watchedTheDayBefore(run, "10.1.0.2");
        steady(run, WEB, 0, 95, 20);
        steady(run, "10.1.0.2", 0, 95, 20);
        run.feed(stmt(95 * 60, WEB, "SELECT * FROM customers", 300_000L, 90_000_000, 9_000_000, null));
        // a new client pulling about what the established ones pull is a new instance, not staging
        run.feed(stmt(95 * 60 + 1, "10.1.0.7", "SELECT * FROM t WHERE id = ?", 20L, 4_000, 800, null));
        run.engine.advanceTo(TestRecords.at(96 * 60));
        assertThat(run.alerts).singleElement().satisfies(a -> {
            assertThat(a.detection()).isEqualTo("data_staging");
            assertThat(a.clientIp()).isEqualTo(WEB);
            assertThat(a.severity()).isEqualTo(Severity.HIGH);
            assertThat(a.evidence()).containsExactly("SELECT * FROM customers (rows=300000, bytes=90000000)");
        });
        // a new client pulling far more than any peer ever did: critical
        run.feed(stmt(96 * 60, "10.1.0.8", "COPY customers TO STDOUT", 1_000_000L, 300_000_000, 20_000_000, null));
        run.engine.advanceTo(TestRecords.at(97 * 60));
        assertThat(run.alerts).hasSize(2);
        assertThat(run.alerts.get(1).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(run.alerts.get(1).observed().get("new_client")).isEqualTo(true);
    }

    @Test
    void latencyRegressionMustLastThreeMinutes() {
        TestRecords.Run run = TestRecords.cfg().only("latency_regression").run();
        steady(run, WEB, 0, 95, 30);
        slow(run, 95, 97); // two slow minutes: nothing
        steady(run, WEB, 97, 99, 30);
        run.engine.advanceTo(TestRecords.at(99 * 60));
        assertThat(run.alerts).isEmpty();
        slow(run, 99, 102);
        run.engine.advanceTo(TestRecords.at(102 * 60));
        // the server and the fingerprint both regressed
        assertThat(run.alerts).extracting(Alert::detection).containsExactly("latency_regression", "latency_regression");
        assertThat(run.alerts).allSatisfy(a -> assertThat(a.severity()).isEqualTo(Severity.LOW));
    }

    private static void slow(TestRecords.Run run, int from, int to) {
        for (int m = from; m < to; m++) {
            for (int i = 0; i < 30; i++) {
                run.feed(stmt(m * 60 + i * 2, WEB, "SELECT * FROM t WHERE id = ?", 1L, 200, 400_000, null));
            }
        }
    }

    @Test
    void newStatementOnlyForAnEstablishedUser() {
        TestRecords.Run run = TestRecords.cfg().only("new_statement").run();
        steady(run, WEB, 0, 61, 5);
        run.feed(stmt(61 * 60, WEB, "SELECT email FROM customers WHERE email LIKE ?", 5L, 300, 900, null));
        assertThat(run.alerts).singleElement().satisfies(a -> {
            assertThat(a.detection()).isEqualTo("new_statement");
            assertThat(a.severity()).isEqualTo(Severity.LOW);
            assertThat(a.user()).isEqualTo("app");
        });
        run.feed(stmt(61 * 60 + 1, WEB, "SELECT email FROM customers WHERE email LIKE ?", 5L, 300, 900, null));
        assertThat(run.engine.alertsEmitted()).isEqualTo(1); // known now
    }

    @Test
    void latencySketchQuantileIsWithinABin() {
        LatencySketch s = new LatencySketch();
        for (int i = 1; i <= 100; i++) {
            s.add(i * 1_000L);
        }
        assertThat(s.quantile(0.95)).isBetween(95_000.0, 95_000.0 * Math.sqrt(2));
        s.clear();
        assertThat(s.quantile(0.95)).isZero();
    }
}
