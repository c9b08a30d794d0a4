package io.dbwire.core.detect;

import static io.dbwire.core.detect.TestRecords.PG;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.record.Endpoint;
import io.dbwire.core.record.ProtocolNames;
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
        return new TransactionRecord(TestRecords.at(sec), RecordKind.TLS, ProtocolNames.POSTGRESQL, 3, -1,
                new Endpoint(client, 40_002), PG, new SessionInfo(null, null, null, true, false), null,
                new RequestInfo(8), null, RecordStatus.OK, null);
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
}
