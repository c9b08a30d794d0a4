package io.dbwire.core.detect.detector;

import static io.dbwire.core.detect.TestRecords.PG;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.TestRecords;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.record.Endpoint;
import io.dbwire.core.record.DatabaseProtocol;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.RequestInfo;
import io.dbwire.core.record.SessionInfo;
import io.dbwire.core.record.TransactionRecord;
import org.junit.jupiter.api.Test;

class NewUserAndTlsDetectorTest {

    @Test
    void newUserAfterLearningIsLowAndAnAdminAccountMedium() {
        TestRecords.Run run = TestRecords.cfg().only("new_user").run();
        run.feed(TestRecords.okLogin(0, "10.1.0.1", PG, "app"),
                TestRecords.okLogin(3_000, "10.1.0.1", PG, "report"), // still learning
                TestRecords.failedLogin(3_700, "203.0.113.9", PG, "oracle", "28P01"), // never got in
                TestRecords.statement(3_800, "10.1.0.1", PG, "etl", "SELECT ?"),
                TestRecords.okLogin(3_900, "10.1.0.1", PG, "postgres"),
                TestRecords.okLogin(3_950, "10.1.0.2", PG, "postgres"));
        assertThat(run.alerts).extracting(Alert::user, a -> a.severity().json(), Alert::mitre)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("etl", "low", "T1078"),
                        org.assertj.core.groups.Tuple.tuple("postgres", "medium", "T1078.001"));
    }

    static TransactionRecord tls(double sec, String client) {
        return TransactionRecord.builder(RecordKind.TLS, DatabaseProtocol.POSTGRESQL).ts(TestRecords.at(sec))
                .connection(3, -1).client(new Endpoint(client, 40_002)).server(PG)
                .session(new SessionInfo(null, null, null, true, false)).request(new RequestInfo(8)).build();
    }

    @Test
    void clearLoginToATlsServerAlertsHighForAClientThatUsedTls() {
        TestRecords.Run run = TestRecords.cfg().only("tls_downgrade").run();
        for (int i = 0; i < 30; i++) {
            run.feed(tls(i * 130, i % 2 == 0 ? "10.1.0.1" : "10.1.0.2"));
        }
        run.feed(TestRecords.okLogin(3_950, "10.1.0.1", PG, "app"), TestRecords.okLogin(3_960, "10.1.0.3", PG, "app"));
        assertThat(run.alerts).extracting(Alert::clientIp, Alert::severity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("10.1.0.1", Severity.HIGH),
                        org.assertj.core.groups.Tuple.tuple("10.1.0.3", Severity.MEDIUM));
        assertThat(run.alerts.get(0).mitre()).isEqualTo("T1557");
    }

    @Test
    void aServerWithClearSessionsOrTooFewIsNotTlsBaselined() {
        TestRecords.Run run = TestRecords.cfg().only("tls_downgrade").run();
        Endpoint other = TestRecords.PG2;
        for (int i = 0; i < 30; i++) {
            run.feed(tls(i * 100, "10.1.0.1"), TestRecords.okLogin(i * 100 + 1, "10.1.0.2", PG, "app"));
        }
        run.feed(TestRecords.okLogin(3_900, "10.1.0.9", PG, "app"), TestRecords.okLogin(3_901, "10.1.0.9", other, "app"));
        assertThat(run.alerts).isEmpty();
    }

    static TransactionRecord loginWith(double sec, String client, String method, boolean tls) {
        return TransactionRecord.builder(RecordKind.LOGIN, DatabaseProtocol.POSTGRESQL).ts(TestRecords.at(sec))
                .connection(4, -1).client(new Endpoint(client, 40_003)).server(PG)
                .session(new SessionInfo("app", "shop", null, tls, false, false, method)).request(new RequestInfo(80))
                .build();
    }

    @Test
    void aClearTextPasswordWithoutTlsAlertsHighFromTheFirstLogin() {
        TestRecords.Run run = TestRecords.cfg().only("tls_downgrade").run();
        run.feed(loginWith(1, "10.1.0.1", "password", false), loginWith(2, "10.1.0.2", "password", true),
                loginWith(3, "10.1.0.3", "md5", false), loginWith(4, "10.1.0.4", "scram-sha-256", false),
                loginWith(5, "10.1.0.5", null, false));
        assertThat(run.alerts).extracting(Alert::clientIp, Alert::severity, Alert::mitre)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("10.1.0.1", Severity.HIGH, "T1040"));
        assertThat(run.alerts.get(0).observed()).containsEntry("auth_method", "password");
    }

    @Test
    void mysqlClearPasswordPluginCountsToo() {
        TestRecords.Run run = TestRecords.cfg().only("tls_downgrade").run();
        run.feed(loginWith(1, "10.1.0.1", "mysql_clear_password", false),
                loginWith(2, "10.1.0.2", "caching_sha2_password", false));
        assertThat(run.alerts).extracting(Alert::clientIp).containsExactly("10.1.0.1");
    }
}
