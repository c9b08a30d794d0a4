package io.dbwire.core.detect.detector;

import static io.dbwire.core.detect.TestRecords.PG;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.TestRecords;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.record.ResponseInfo;
import io.dbwire.core.record.SessionInfo;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.record.TransactionRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A nightly export (same client, user, application and statements at 02:00 every night) is routine from its second
 * night on; the same job at another hour, as another user, reading another table or from another client is not.
 */
class RecurringJobTest {
    static final String JOB_HOST = "10.1.0.30";
    static final String WEB = "10.1.0.1";
    static final long DAY = 86_400;
    static final String EXPORT = "COPY orders TO STDOUT";

    /** Three quiet-by-day, busy-at-02:00 days; {@code extra} adds what a test wants at a given minute. */
    private static TestRecords.Run days(int days, ExtraTraffic extra) {
        TestRecords.Run run = TestRecords.cfg().only("data_staging").run();
        for (long day = 0; day < days; day++) {
            for (long minute = 0; minute < 24 * 60; minute++) {
                long t = day * DAY + minute * 60;
                run.feed(rec(t + 5, WEB, "app", "orders-api", "SELECT * FROM orders WHERE id = ?", 3, 900),
                        rec(t + 35, JOB_HOST, "export", "nightly-export", "SELECT 1", 1, 60));
                if (minute >= 120 && minute < 123) {
                    extra.at(run, day, minute, t);
                } else {
                    extra.other(run, day, minute, t);
                }
            }
        }
        run.engine.finish();
        return run;
    }

    interface ExtraTraffic {
        /** 02:00–02:03: by default the job's run. */
        default void at(TestRecords.Run run, long day, long minute, long t) {
            job(run, t, JOB_HOST, "export", EXPORT);
        }

        default void other(TestRecords.Run run, long day, long minute, long t) {}
    }

    static void job(TestRecords.Run run, long t, String client, String user, String sql) {
        run.feed(rec(t + 20, client, user, "nightly-export", sql, 180_000 + (t / DAY) * 1_000, 18_000_000));
    }

    static TransactionRecord rec(double sec, String client, String user, String app, String sql, long rows,
            long bytes) {
        TransactionRecord r = TestRecords.statement(sec, client, PG, user, sql);
        return r.toBuilder().session(new SessionInfo(user, "shop", app, false, false))
                .statement(new StatementInfo(sql, Integer.toHexString(sql.hashCode()), sql.split(" ")[0]))
                .response(new ResponseInfo(rows, null, bytes, 5_000L, 5_000L)).build();
    }

    private static List<String> days(List<Alert> alerts) {
        return alerts.stream().map(a -> "day" + (a.windowStartMicros() - TestRecords.T0) / (DAY * 1_000_000L) + " "
                + String.format("%02d", (a.windowStartMicros() - TestRecords.T0) / 3_600_000_000L % 24)).distinct()
                .toList();
    }

    @Test
    void theNightlyJobAlertsOnItsFirstNightAfterLearningOnly() {
        TestRecords.Run run = days(4, new ExtraTraffic() {});
        assertThat(days(run.alerts)).containsExactly("day0 02");
        Alert first = run.alerts.get(0);
        assertThat(first.observed().get("recurring_job")).isEqualTo("no_earlier_run");
        assertThat(first.explanation().rule()).isEqualTo("volume_spike");
        assertThat(first.explanation().learntForMicros()).isEqualTo(7_225_000_000L); // first record 00:00:35 to 02:01
        assertThat(first.explanation().records()).singleElement()
                .satisfies(r -> assertThat(r.fingerprint()).isEqualTo(Integer.toHexString(EXPORT.hashCode())));
    }

    @Test
    void aJobThatRanWhileLearningIsRoutineFromTheStart() {
        TestRecords.Run run = TestRecords.cfg().only("data_staging").learningSeconds(3 * 3_600).run();
        for (long day = 0; day < 3; day++) {
            for (long minute = 0; minute < 24 * 60; minute++) {
                long t = day * DAY + minute * 60;
                run.feed(rec(t + 5, WEB, "app", "orders-api", "SELECT * FROM orders WHERE id = ?", 3, 900),
                        rec(t + 35, JOB_HOST, "export", "nightly-export", "SELECT 1", 1, 60));
                if (minute >= 120 && minute < 123) {
                    job(run, t, JOB_HOST, "export", EXPORT);
                }
            }
        }
        run.engine.finish();
        assertThat(run.alerts).isEmpty();
        assertThat(run.engine.counters().get(io.dbwire.core.detect.engine.DetectEvent.ROUTINE_JOB_RECOGNISED))
                .isPositive();
    }

    @Test
    void aNewClientsAlertedReadIsNoPeerForTheNextNewClient() {
        TestRecords.Run run = days(3, new ExtraTraffic() {
            @Override
            public void other(TestRecords.Run run, long day, long minute, long t) {
                if (day == 2 && minute == 13 * 60) {
                    run.feed(rec(t + 20, "10.9.0.66", "app", "psql", "SELECT * FROM orders", 62_000, 1_400_000));
                } else if (day == 2 && minute == 21 * 60) {
                    run.feed(rec(t + 20, "10.9.0.67", "app", "pg_dump", "COPY orders TO STDOUT", 62_000, 1_400_000));
                }
            }
        });
        assertThat(run.alerts.stream().filter(a -> a.clientIp().startsWith("10.9.0."))
                .map(a -> a.clientIp() + " " + a.severity().json() + " " + a.explanation().rule()))
                .containsExactly("10.9.0.66 critical new_client_above_peers", "10.9.0.67 critical new_client_above_peers");
    }

    @Test
    void theSameJobAtAnUnusualHourAlerts() {
        TestRecords.Run run = days(3, new ExtraTraffic() {
            @Override
            public void other(TestRecords.Run run, long day, long minute, long t) {
                if (day == 2 && minute == 14 * 60) {
                    job(run, t, JOB_HOST, "export", EXPORT);
                }
            }
        });
        assertThat(days(run.alerts)).containsExactly("day0 02", "day2 14");
        assertThat(run.alerts.get(run.alerts.size() - 1).severity()).isGreaterThanOrEqualTo(Severity.MEDIUM);
    }

    @Test
    void theJobAsAnotherUserAlerts() {
        TestRecords.Run run = days(4, new ExtraTraffic() {
            @Override
            public void at(TestRecords.Run run, long day, long minute, long t) {
                job(run, t, JOB_HOST, day == 3 ? "intruder" : "export", EXPORT);
            }
        });
        assertThat(days(run.alerts)).containsExactly("day0 02", "day3 02");
        Alert a = run.alerts.get(run.alerts.size() - 1);
        assertThat(a.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(a.explanation().rule()).isEqualTo("job_changed");
        assertThat(a.observed().get("recurring_job")).isEqualTo("other_identity");
        assertThat(a.baseline().get("job_user")).isEqualTo("export");
        assertThat(a.summary()).endsWith("but as another user or application (the job runs as export, nightly-export)");
    }

    @Test
    void theJobReadingAnotherTableAlerts() {
        TestRecords.Run run = days(4, new ExtraTraffic() {
            @Override
            public void at(TestRecords.Run run, long day, long minute, long t) {
                job(run, t, JOB_HOST, "export", day == 3 && minute == 121 ? "COPY customers TO STDOUT" : EXPORT);
            }
        });
        assertThat(days(run.alerts)).containsExactly("day0 02", "day3 02");
        Alert a = run.alerts.get(run.alerts.size() - 1);
        assertThat(a.severity()).isGreaterThanOrEqualTo(Severity.MEDIUM);
        assertThat(a.observed().get("recurring_job")).isEqualTo("other_statements");
        assertThat(a.evidence()).singleElement().asString().startsWith("COPY customers TO STDOUT");
    }

    @Test
    void theJobFromANewClientAlerts() {
        TestRecords.Run run = days(3, new ExtraTraffic() {
            @Override
            public void at(TestRecords.Run run, long day, long minute, long t) {
                job(run, t, day == 2 ? "10.1.9.9" : JOB_HOST, "export", EXPORT);
            }
        });
        assertThat(days(run.alerts)).containsExactly("day0 02", "day2 02");
        Alert a = run.alerts.get(run.alerts.size() - 1);
        assertThat(a.clientIp()).isEqualTo("10.1.9.9");
        assertThat(a.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(a.explanation().rule()).isEqualTo("job_from_new_client");
    }

    @Test
    void aKnownClientReadingTenTimesTheJobAlerts() {
        TestRecords.Run run = days(3, new ExtraTraffic() {
            @Override
            public void at(TestRecords.Run run, long day, long minute, long t) {
                if (day == 2 && minute == 120) {
                    run.feed(rec(t + 20, JOB_HOST, "export", "nightly-export", EXPORT, 2_000_000, 200_000_000));
                } else {
                    job(run, t, JOB_HOST, "export", EXPORT);
                }
            }
        });
        assertThat(days(run.alerts)).containsExactly("day0 02", "day2 02");
        assertThat(run.alerts.get(run.alerts.size() - 1).observed().get("recurring_job")).isEqualTo("more_volume");
    }
}
