package io.dbwire.core.detect.detector;

import static io.dbwire.core.detect.TestRecords.PG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.dbwire.core.detect.TestRecords;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.record.ResponseInfo;
import io.dbwire.core.record.SensitiveCounts;
import io.dbwire.core.record.SessionInfo;
import io.dbwire.core.record.TransactionRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class SensitiveDataReadDetectorTest {

    private static TransactionRecord read(double sec, String client, String user, String app, long cards,
            long emails) {
        TransactionRecord base = TestRecords.statement(sec, client, PG, user, "SELECT * FROM customers");
        SensitiveCounts found = new SensitiveCounts(cards, 0, emails, 0, 0,
                List.of(new SensitiveCounts.Column(2, cards, 0, emails)));
        return base.toBuilder()
                .session(new SessionInfo(user, "app", app, false, false, false, null, "3.0", null, null))
                .response(new ResponseInfo(10L, null, 900, 50L, 80L, "SELECT 10", null, found)).build();
    }

    @Test
    void firstReadAfterLearningAlertsByHowNewTheReaderAndItsApplicationAre() {
        TestRecords.Run run = TestRecords.cfg().only().run();
        run.feed(read(0, "10.1.0.1", "app", "orders-api", 0, 5), // learning: the application reads e-mails
                TestRecords.statement(3_700, "10.1.0.1", PG, "app", "SELECT ?"), // no findings: nothing
                read(3_710, "10.1.0.1", "app", "orders-api", 0, 5), // known reader: nothing
                read(3_720, "10.1.0.2", "app", "orders-api", 0, 5), // new host of a known application: low
                read(3_730, "10.9.0.7", "alice", "psql", 0, 40), // new reader, new application, e-mails: medium
                read(3_740, "10.9.0.8", "bob", "DBeaver", 12, 0), // card numbers: high
                read(3_750, "10.9.0.8", "bob", "DBeaver", 12, 0)); // the same reader again: nothing
        assertThat(run.alerts).extracting(Alert::clientIp, a -> a.severity().json(), Alert::detection)
                .containsExactly(tuple("10.1.0.2", "low", "sensitive_data_read"),
                        tuple("10.9.0.7", "medium", "sensitive_data_read"),
                        tuple("10.9.0.8", "high", "sensitive_data_read"));
        Alert high = run.alerts.get(2);
        assertThat(high.mitre()).isEqualTo("T1213");
        assertThat(high.observed()).containsEntry("card", 12L).containsEntry("columns", "2")
                .containsEntry("application", "DBeaver");
        assertThat(high.summary()).contains("12 card numbers").doesNotContain("4111");
    }

    @Test
    void recordsWithoutTheScanNeverAlert() {
        TestRecords.Run run = TestRecords.cfg().only().run();
        for (int i = 0; i < 100; i++) {
            run.feed(TestRecords.statement(i * 60, "10.2.0." + i, PG, "u" + i, "SELECT * FROM customers"));
        }
        assertThat(run.alerts).isEmpty();
    }
}
