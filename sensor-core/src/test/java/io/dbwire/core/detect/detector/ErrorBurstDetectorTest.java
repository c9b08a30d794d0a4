package io.dbwire.core.detect.detector;

import static io.dbwire.core.detect.detector.BaselineDetectorsTest.steady;
import static io.dbwire.core.detect.detector.BaselineDetectorsTest.stmt;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.TestRecords;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.record.DatabaseProtocol;
import io.dbwire.core.record.TransactionRecord;
import org.junit.jupiter.api.Test;

/** Injection probing: two dozen failing statements in under a minute from a client that never erred. */
class ErrorBurstDetectorTest {
    static final String WEB = "10.1.0.1";
    /** What a probe through a form field produces on PostgreSQL, in turn. */
    static final String[][] PG_PROBES = {
        {"SELECT * FROM products WHERE id = ?'", "42601"},
        {"SELECT * FROM products WHERE id = ?", "22P02"},
        {"SELECT * FROM products WHERE id = ? ORDER BY ?", "42703"},
        {"SELECT * FROM products WHERE id = ? UNION SELECT ? FROM secrets", "42P01"},
    };

    private static void probe(TestRecords.Run run, String client, double from, int count, String[][] probes) {
        for (int i = 0; i < count; i++) {
            String[] p = probes[i % probes.length];
            run.feed(stmt(from + i * 2, client, p[0], null, 90, 500, p[1]));
        }
    }

    @Test
    void twoDozenErrorsAcrossAMinuteBoundaryFromAClientThatNeverErred() {
        TestRecords.Run run = TestRecords.cfg().only("error_burst").run();
        steady(run, WEB, 0, 70, 20);
        probe(run, WEB, 70 * 60 + 35, 24, PG_PROBES); // 70:35 … 71:21: twelve in each minute bucket
        steady(run, WEB, 72, 75, 20);
        run.engine.finish();
        assertThat(run.alerts).allSatisfy(a -> assertThat(a.detection()).isEqualTo("error_burst"));
        assertThat(run.alerts).first().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(Severity.HIGH); // syntax, invalid input and undefined objects
            assertThat(a.explanation().rule()).isEqualTo("sliding_window");
            assertThat(a.observed().get("errors")).isEqualTo(20);
            assertThat(a.observed().get("classes")).isEqualTo("syntax 5, invalid_input 5, undefined_object 10");
            assertThat(a.baseline().get("reference")).isEqualTo(1.0);
            assertThat(a.explanation().samples()).isEqualTo(60); // the baseline keeps the last hour
            assertThat(a.explanation().learntForMicros()).isEqualTo(TestRecords.at(70 * 60 + 35 + 19 * 2) - TestRecords.T0);
            assertThat(a.explanation().records()).isNotEmpty();
            assertThat(a.evidence()).contains("SELECT * FROM products WHERE id = ?? -> error 42601"); // the stray quote masked
        });
    }

    @Test
    void aClientWithAShortHistoryIsCaughtOnceTheEngineLearnt() {
        TestRecords.Run run = TestRecords.cfg().only("error_burst").run();
        steady(run, "10.1.0.9", 0, 70, 20); // the engine's learning period passes on another client
        steady(run, WEB, 69, 70, 20); // one minute of history
        probe(run, WEB, 70 * 60, 24, new String[][] {{"SELECT * FROM t WHERE id = ?'", "42601"}});
        run.engine.finish();
        assertThat(run.alerts).first().satisfies(a -> {
            assertThat(a.clientIp()).isEqualTo(WEB);
            assertThat(a.severity()).isEqualTo(Severity.MEDIUM); // one class
            assertThat(a.explanation().samples()).isEqualTo(1);
        });
    }

    @Test
    void mysqlErrorsRankByClass() {
        TestRecords.Run run = TestRecords.cfg().only("error_burst").run();
        steady(run, WEB, 0, 70, 20);
        String[][] mysql = {{"SELECT * FROM users WHERE name = ?'", "1064"}, {"SELECT foo FROM users", "1054"},
            {"SELECT * FROM mysql.user", "1142"}, {"SELECT * FROM nosuch", "1146"}};
        for (int i = 0; i < 24; i++) {
            TransactionRecord r = stmt(70 * 60 + i * 2, WEB, mysql[i % 4][0], null, 90, 500, mysql[i % 4][1]);
            run.feed(TransactionRecord.builder(r.kind(), DatabaseProtocol.MYSQL).ts(r.tsMicros()).connection(3, -1)
                    .client(r.client()).server(TestRecords.PG).session(r.session()).statement(r.statement())
                    .request(r.request()).response(r.response()).status(r.status()).error(r.error()).build());
        }
        run.engine.finish();
        Alert a = run.alerts.get(0);
        assertThat(a.severity()).isEqualTo(Severity.HIGH);
        assertThat((String) a.observed().get("classes")).startsWith("syntax 5, undefined_object 10, permission 5");
        assertThat(a.explanation().records()).allSatisfy(r -> assertThat(r.connectionId()).isEqualTo(3));
    }

    @Test
    void aClientThatAlwaysErrsThatMuchIsQuiet() {
        TestRecords.Run run = TestRecords.cfg().only("error_burst").run();
        for (int m = 0; m < 75; m++) {
            probe(run, WEB, m * 60, 24, new String[][] {{"SELECT * FROM t WHERE col = ?", "22P02"}});
        }
        run.engine.finish();
        assertThat(run.alerts).isEmpty();
    }

    @Test
    void duringTheEnginesLearningANewPairIsNotJudged() {
        TestRecords.Run run = TestRecords.cfg().only("error_burst").run();
        steady(run, WEB, 0, 5, 20);
        probe(run, WEB, 5 * 60, 24, PG_PROBES);
        run.engine.finish();
        assertThat(run.alerts).isEmpty();
    }
}
