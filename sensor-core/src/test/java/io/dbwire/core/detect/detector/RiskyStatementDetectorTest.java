package io.dbwire.core.detect.detector;

import static io.dbwire.core.detect.TestRecords.PG;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.TestRecords;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.config.DetectionConfig;
import io.dbwire.core.record.TransactionRecord;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RiskyStatementDetectorTest {

    /** A statement whose fingerprint is its text, so distinct texts are distinct fingerprints. */
    static TransactionRecord stmt(double sec, String client, String user, String sql) {
        TransactionRecord r = TestRecords.statement(sec, client, PG, user, sql);
        return r.toBuilder()
                .statement(new io.dbwire.core.record.StatementInfo(sql, Integer.toHexString(sql.hashCode()),
                        r.statement().operation()))
                .build();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SELECT pg_read_file(?)                           | server_file_read    | high     | T1005",
        "SELECT LOAD_FILE(?)                              | server_file_read    | high     | T1005",
        "COPY (SELECT ?) TO PROGRAM ?                     | server_program      | critical | T1059",
        "COPY t FROM PROGRAM ?                            | server_program      | critical | T1059",
        "SELECT lo_export(?, ?)                           | server_file_write   | high     | T1074.001",
        "SELECT * FROM t INTO OUTFILE ?                   | server_file_write   | high     | T1074.001",
        "COPY orders TO ?                                 | server_file_write   | high     | T1074.001",
        "SELECT pg_sleep(?)                               | time_delay          | high     | T1190",
        "SELECT * FROM t WHERE id = ? AND SLEEP(?)        | time_delay          | high     | T1190",
        "SELECT BENCHMARK(?, MD5(?))                      | time_delay          | high     | T1190",
        "GRANT ALL ON t TO bob                            | privilege_change    | high     | T1098",
        "ALTER ROLE bob WITH SUPERUSER                    | privilege_change    | high     | T1098",
        "CREATE USER eve WITH PASSWORD ?                  | account_creation    | high     | T1136",
    })
    void eachAlwaysOnRuleAlertsEvenDuringLearning(String sql, String rule, String severity, String mitre) {
        TestRecords.Run run = TestRecords.cfg().only("risky_statement").run();
        run.feed(stmt(1, "10.1.0.1", "app", sql.trim()));
        assertThat(run.alerts).hasSize(1);
        Alert a = run.alerts.get(0);
        assertThat(a.observed().get("rule")).isEqualTo(rule);
        assertThat(a.severity().json()).isEqualTo(severity);
        assertThat(a.mitre()).isEqualTo(mitre);
        assertThat(a.evidence()).containsExactly(sql.trim());
    }

    @Test
    void ordinaryStatementsAndCopyToStdoutDoNotMatch() {
        TestRecords.Run run = TestRecords.cfg().only("risky_statement").run();
        run.feed(stmt(1, "10.1.0.1", "app", "COPY orders TO STDOUT"),
                stmt(2, "10.1.0.1", "app", "SELECT * FROM sleep_log WHERE id = ?"),
                stmt(3, "10.1.0.1", "app", "INSERT INTO grants (id) VALUES (?)"));
        assertThat(run.alerts).isEmpty();
    }

    @Test
    void catalogQueriesAreLearnedPerStatementForApplicationUsersOnly() {
        TestRecords.Run run = TestRecords.cfg().only("risky_statement").run();
        String orm = "SELECT typname FROM pg_catalog.pg_type WHERE oid = ?";
        // learning hour: the application sends the driver's catalog lookup and its usual statement, a lot
        for (int i = 0; i < 700; i++) {
            run.feed(stmt(i * 5, "10.1.0.1", "app", i % 7 == 0 ? orm : "SELECT * FROM t WHERE id = ?"));
        }
        run.feed(stmt(1, "10.1.0.9", "dba", "SELECT * FROM pg_catalog.pg_class"));
        // after learning: the learned lookup is silent, a person in psql is not an application user …
        run.feed(stmt(3_700, "10.1.0.1", "app", orm), stmt(3_710, "10.1.0.9", "dba", "SELECT * FROM information_schema.tables"));
        assertThat(run.alerts).isEmpty();
        // … and the application enumerating tables is an alert
        run.feed(stmt(3_720, "10.1.0.1", "app", "SELECT table_name FROM information_schema.tables WHERE table_schema = ?"));
        assertThat(run.alerts).extracting(a -> a.observed().get("rule")).containsExactly("catalog_enumeration");
        assertThat(run.alerts.get(0).severity()).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void aUserFirstSeenLaterLearnsInItsOwnFirstHour() {
        TestRecords.Run run = TestRecords.cfg().only("risky_statement").run();
        run.feed(stmt(0, "10.1.0.1", "app", "SELECT ?"));
        String orm = "SELECT typname FROM pg_catalog.pg_type WHERE oid = ?";
        for (int i = 0; i < 700; i++) { // a new service from 2 h on: its driver's lookup is learned
            run.feed(stmt(7_200 + i * 5, "10.1.0.5", "billing", i % 7 == 0 ? orm : "SELECT * FROM invoices WHERE id = ?"));
        }
        run.feed(stmt(11_000, "10.1.0.5", "billing", orm),
                stmt(11_001, "10.1.0.5", "billing", "SELECT * FROM pg_catalog.pg_shadow"));
        assertThat(run.alerts).singleElement().satisfies(a -> assertThat(a.evidence())
                .containsExactly("SELECT * FROM pg_catalog.pg_shadow"));
    }

    @Test
    void aPasswordInFullStatementTextNeverReachesTheAlert() {
        TestRecords.Run run = TestRecords.cfg().only("risky_statement").run();
        run.feed(stmt(1, "10.1.0.1", "app", "ALTER ROLE bob PASSWORD 'hunter2'"));
        assertThat(run.json()).singleElement().asString().doesNotContain("hunter2").contains("PASSWORD ?");
    }

    @Test
    void aConfiguredRuleListReplacesTheDefaults() {
        TestRecords.Run run = TestRecords.cfg().only("risky_statement")
                .rules(List.of(new DetectionConfig.RiskyRule("vacuum", "^VACUUM\\b", "low", "T1489", false))).run();
        run.feed(stmt(1, "10.1.0.1", "app", "SELECT pg_sleep(?)"), stmt(2, "10.1.0.1", "app", "VACUUM FULL t"));
        assertThat(run.alerts).singleElement().satisfies(a -> {
            assertThat(a.observed().get("rule")).isEqualTo("vacuum");
            assertThat(a.mitre()).isEqualTo("T1489");
            assertThat(a.severity()).isEqualTo(Severity.LOW);
        });
    }

    @Test
    void aRuleWithABadPatternIsLeftOutNotFatal() {
        assertThat(RiskyRules.compile(List.of(new DetectionConfig.RiskyRule("bad", "(", "high", "T1", false),
                new DetectionConfig.RiskyRule("sev", "x", "urgent", "T1", false)))).isEmpty();
    }
}
