package io.dbwire.core.detect.detector;

import static io.dbwire.core.detect.TestRecords.MYSQL;
import static io.dbwire.core.detect.TestRecords.PG;
import static io.dbwire.core.detect.TestRecords.PG2;
import static io.dbwire.core.detect.TestRecords.at;
import static io.dbwire.core.detect.TestRecords.cfg;
import static io.dbwire.core.detect.TestRecords.failedLogin;
import static io.dbwire.core.detect.TestRecords.login;
import static io.dbwire.core.detect.TestRecords.okLogin;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.engine.DetectEvent;
import io.dbwire.core.detect.TestRecords.Run;
import io.dbwire.core.record.ErrorInfo;
import io.dbwire.core.record.RecordStatus;
import org.junit.jupiter.api.Test;

/** Threshold 5 failures within 60 s, suppression 600 s (see {@link TestRecords#cfg()}). */
class AuthBruteforceDetectorTest {
    private static final String ATTACKER = "203.0.113.9";

    private static Run failures(Run run, int n, double startSec, double stepSec, String user) {
        for (int i = 0; i < n; i++) {
            run.feed(failedLogin(startSec + i * stepSec, ATTACKER, PG, user, "28P01"));
        }
        return run;
    }

    @Test
    void oneBelowThresholdRaisesNothing() {
        Run run = failures(cfg().onlyBruteforce().run(), 4, 0, 1, "postgres");
        assertThat(run.alerts).isEmpty();
        assertThat(run.engine.counters().get(DetectEvent.FAILED_LOGINS_SEEN)).isEqualTo(4);
    }

    @Test
    void thresholdRaisesHighFromTheFirstRecordWithoutLearning() {
        Run run = failures(cfg().onlyBruteforce().run(), 5, 0, 2, "postgres");
        assertThat(run.alerts).singleElement().satisfies(a -> {
            assertThat(a.detection()).isEqualTo("auth_bruteforce");
            assertThat(a.severity()).isEqualTo(Severity.HIGH);
            assertThat(a.mitre()).isEqualTo("T1110");
            assertThat(a.score()).isEqualTo(60);
            assertThat(a.clientIp()).isEqualTo(ATTACKER);
            assertThat(a.server()).isEqualTo(PG);
            assertThat(a.user()).isEqualTo("postgres");
            assertThat(a.tsMicros()).isEqualTo(at(8));
            assertThat(a.windowStartMicros()).isEqualTo(at(8 - 60));
            assertThat(a.windowEndMicros()).isEqualTo(at(8));
            assertThat(a.observed()).containsEntry("failed_logins", 5).containsEntry("distinct_users", 1)
                    .containsEntry("window_seconds", 8.0).containsEntry("successful_login", false);
            assertThat(a.baseline()).containsEntry("threshold", 5).containsEntry("window_seconds", 60L);
            assertThat(a.evidence()).containsExactly("login failed 28P01 user=postgres");
            assertThat(a.folded()).isZero();
        });
    }

    @Test
    void failuresOlderThanTheWindowSlideOut() {
        // failures at 0,1,2,3 s; at 60.5 s the one at 0 s has left the 60 s window: 4 inside
        Run run = failures(cfg().onlyBruteforce().run(), 4, 0, 1, "postgres");
        run.feed(failedLogin(60.5, ATTACKER, PG, "postgres", "28P01"));
        assertThat(run.alerts).isEmpty();
        // at 61 s the one at 1 s is exactly 60 s old and still inside: 1,2,3,60.5,61 = 5
        run.feed(failedLogin(61, ATTACKER, PG, "postgres", "28P01"));
        assertThat(run.alerts).singleElement()
                .satisfies(a -> assertThat(a.observed()).containsEntry("failed_logins", 5)
                        .containsEntry("window_seconds", 60.0));
    }

    @Test
    void countsArePerClientAndServer() {
        Run run = cfg().onlyBruteforce().run();
        for (int i = 0; i < 3; i++) {
            run.feed(failedLogin(i, ATTACKER, PG, "a", "28P01"),
                    failedLogin(i, ATTACKER, PG2, "a", "28P01"),
                    failedLogin(i, "203.0.113.10", PG, "a", "28P01"));
        }
        assertThat(run.alerts).isEmpty();
    }

    @Test
    void otherLoginErrorsAreNotAuthenticationFailures() {
        Run run = cfg().onlyBruteforce().run();
        for (int i = 0; i < 10; i++) {
            run.feed(login(i, ATTACKER, PG, "app", RecordStatus.ERROR, new ErrorInfo("53300", "too many clients")));
        }
        assertThat(run.alerts).isEmpty();
    }

    @Test
    void mysqlAccessDeniedCounts() {
        Run run = cfg().onlyBruteforce().run();
        for (int i = 0; i < 5; i++) {
            run.feed(failedLogin(i, ATTACKER, MYSQL, "root", "1045"));
        }
        assertThat(run.alerts).singleElement().satisfies(a -> {
            assertThat(a.server()).isEqualTo(MYSQL);
            assertThat(a.evidence()).containsExactly("login failed 1045 user=root");
        });
    }

    @Test
    void manyDistinctUsersIsCredentialStuffing() {
        Run run = cfg().onlyBruteforce().run();
        String[] users = {"alice", "bob", "carol", "dave", "erin", "frank"};
        for (int i = 0; i < users.length; i++) {
            run.feed(failedLogin(i, ATTACKER, PG, users[i], "28P01"));
        }
        // 5th failure alerts; the 6th is folded by suppression
        assertThat(run.alerts).singleElement().satisfies(a -> {
            assertThat(a.mitre()).isEqualTo("T1110.004");
            assertThat(a.user()).isNull();
            assertThat(a.observed()).containsEntry("distinct_users", 5);
            assertThat(a.score()).isEqualTo(65);
            assertThat(a.evidence()).containsExactly("login failed 28P01 user=erin", "login failed 28P01 user=dave",
                    "login failed 28P01 user=carol", "login failed 28P01 user=bob", "login failed 28P01 user=alice");
        });
    }

    @Test
    void successAfterFailuresIsCriticalAndBreaksThroughSuppression() {
        Run run = failures(cfg().onlyBruteforce().run(), 6, 0, 1, "postgres");
        run.feed(okLogin(10, ATTACKER, PG, "postgres"));
        assertThat(run.alerts).hasSize(2);
        Alert critical = run.alerts.get(1);
        assertThat(critical.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(critical.score()).isEqualTo(100);
        assertThat(critical.folded()).isEqualTo(1); // the 6th failure, folded before the escalation
        assertThat(critical.observed()).containsEntry("successful_login", true).containsEntry("failed_logins", 6);
        assertThat(critical.evidence().get(0)).isEqualTo("login ok user=postgres");
        assertThat(critical.id()).isNotEqualTo(run.alerts.get(0).id());
    }

    @Test
    void successAfterFewFailuresIsATypoNotAnAlert() {
        Run run = failures(cfg().onlyBruteforce().run(), 2, 0, 1, "postgres");
        run.feed(okLogin(3, ATTACKER, PG, "postgres"));
        assertThat(run.alerts).isEmpty();
    }

    @Test
    void repeatsAreFoldedAndReportedWhenTheSuppressionEnds() {
        Run run = failures(cfg().onlyBruteforce().run(), 12, 0, 1, "postgres");
        assertThat(run.alerts).hasSize(1);
        assertThat(run.engine.counters().get(DetectEvent.ALERTS_SUPPRESSED)).isEqualTo(7);
        run.engine.advanceTo(at(4 + 599));
        assertThat(run.alerts).hasSize(1);
        run.engine.advanceTo(at(4 + 600)); // suppression opened at 4 s ends at 604 s
        assertThat(run.alerts).hasSize(2);
        Alert summary = run.alerts.get(1);
        assertThat(summary.folded()).isEqualTo(7);
        assertThat(summary.tsMicros()).isEqualTo(at(604));
        assertThat(summary.observed()).containsEntry("failed_logins", 12); // the latest folded candidate
        assertThat(summary.score()).isEqualTo(90);
        // nothing more folded: the re-opened suppression ends quietly and the key is forgotten
        run.engine.advanceTo(at(2000));
        failures(run, 5, 2000, 1, "postgres");
        assertThat(run.alerts).hasSize(3);
        assertThat(run.alerts.get(2).folded()).isZero();
    }

    @Test
    void pendingFoldedRepeatsAreReportedAtFinish() {
        Run run = failures(cfg().onlyBruteforce().run(), 7, 0, 1, "postgres");
        run.engine.finish();
        assertThat(run.alerts).hasSize(2);
        assertThat(run.alerts.get(1).folded()).isEqualTo(2);
        assertThat(run.alerts.get(1).tsMicros()).isEqualTo(at(6));
        run.engine.finish();
        run.feed(failedLogin(8, ATTACKER, PG, "postgres", "28P01"));
        assertThat(run.alerts).hasSize(2);
        assertThat(run.engine.counters().get(DetectEvent.RECORDS_AFTER_FINISH)).isEqualTo(1);
    }

    @Test
    void pairTableIsBoundedWithEvictionCounted() {
        Run run = cfg().onlyBruteforce().maxEntities(2).run();
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 4; i++) {
                run.feed(failedLogin(c * 5 + i, "198.51.100." + c, PG, "x", "28P01"));
            }
        }
        // the first client's four failures were evicted with its state: a fifth does not reach the threshold
        run.feed(failedLogin(20, "198.51.100.0", PG, "x", "28P01"));
        assertThat(run.alerts).isEmpty();
        assertThat(run.engine.counters().get(DetectEvent.ENTITIES_EVICTED)).isEqualTo(2);
    }

    @Test
    void suppressionIsPerEntity() {
        Run run = cfg().onlyBruteforce().run();
        for (int i = 0; i < 5; i++) {
            run.feed(failedLogin(i, ATTACKER, PG, "postgres", "28P01"),
                    failedLogin(i, "203.0.113.10", PG, "postgres", "28P01"));
        }
        assertThat(run.alerts).extracting(Alert::clientIp).containsExactly(ATTACKER, "203.0.113.10");
    }

    @Test
    void noSuppressionEmitsEveryCandidate() {
        Run run = failures(cfg().onlyBruteforce().suppressionSeconds(0).run(), 7, 0, 1, "postgres");
        assertThat(run.alerts).extracting(Alert::folded).containsExactly(0, 0, 0);
        assertThat(run.alerts).extracting(Alert::id).doesNotHaveDuplicates();
    }
}
