package io.dbwire.core.detect.detector;

import static io.dbwire.core.detect.TestRecords.MYSQL;
import static io.dbwire.core.detect.TestRecords.PG;
import static io.dbwire.core.detect.TestRecords.PG2;
import static io.dbwire.core.detect.TestRecords.at;
import static io.dbwire.core.detect.TestRecords.cfg;
import static io.dbwire.core.detect.TestRecords.failedLogin;
import static io.dbwire.core.detect.TestRecords.statement;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.engine.DetectEvent;
import io.dbwire.core.detect.TestRecords.Run;
import org.junit.jupiter.api.Test;

class NewClientDetectorTest {
    private static final double HOUR = 3600;

    @Test
    void clientsSeenDuringLearningAreKnownAndNeverAlert() {
        Run run = cfg().onlyNewClient().run().feed(
                statement(0, "192.0.2.10", PG, "app", "SELECT 1"),
                statement(HOUR - 1, "192.0.2.11", PG, "app", "SELECT 1"),
                statement(HOUR + 10, "192.0.2.10", PG, "app", "SELECT 1"),
                statement(HOUR + 20, "192.0.2.11", PG, "app", "SELECT 1"));
        assertThat(run.alerts).isEmpty();
        assertThat(run.engine.counters().get(DetectEvent.NEW_CLIENT_LEARNED)).isEqualTo(2);
    }

    @Test
    void aNewClientAfterLearningAlertsOnceLow() {
        Run run = cfg().onlyNewClient().run().feed(
                statement(0, "192.0.2.10", PG, "app", "SELECT 1"),
                statement(HOUR, "198.51.100.7", PG, "eve", "SELECT * FROM users WHERE name = 'x'"),
                statement(HOUR + 1, "198.51.100.7", PG, "eve", "SELECT 2"),
                statement(HOUR + 2 * 3600, "198.51.100.7", PG, "eve", "SELECT 3"));
        assertThat(run.alerts).singleElement().satisfies(a -> {
            assertThat(a.detection()).isEqualTo("new_client");
            assertThat(a.severity()).isEqualTo(Severity.LOW);
            assertThat(a.mitre()).isEqualTo("T1078");
            assertThat(a.clientIp()).isEqualTo("198.51.100.7");
            assertThat(a.server()).isEqualTo(PG);
            assertThat(a.user()).isEqualTo("eve");
            assertThat(a.tsMicros()).isEqualTo(at(HOUR));
            assertThat(a.baseline()).containsEntry("known_clients", 1L);
            assertThat(a.evidence()).containsExactly("SELECT * FROM users WHERE name = ?");
            assertThat(a.windowStartMicros()).isEqualTo(at(HOUR));
            assertThat(a.windowEndMicros()).isEqualTo(at(HOUR + 60));
        });
    }

    @Test
    void firstContactAsFailedLoginIsMedium() {
        Run run = cfg().onlyNewClient().run().feed(
                statement(0, "192.0.2.10", PG, "app", "SELECT 1"),
                failedLogin(HOUR + 5, "198.51.100.7", PG, "postgres", "28P01"));
        assertThat(run.alerts).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(a.evidence()).containsExactly("login failed 28P01 user=postgres");
        });
    }

    @Test
    void eachServerLearnsFromItsOwnFirstRecord() {
        Run run = cfg().onlyNewClient().run().feed(
                statement(0, "192.0.2.10", PG, "app", "SELECT 1"),
                // PG2 first appears after PG's learning is over: its first clients are learned, not alerted
                statement(2 * HOUR, "192.0.2.20", PG2, "app", "SELECT 1"),
                statement(2 * HOUR + 10, "192.0.2.21", PG2, "app", "SELECT 1"),
                // a client known on PG is still new for MYSQL once MYSQL has learned
                statement(2 * HOUR + 20, "192.0.2.10", MYSQL, "app", "SELECT 1"),
                statement(3 * HOUR + 20, "192.0.2.10", PG2, "app", "SELECT 1"),
                statement(4 * HOUR, "192.0.2.20", MYSQL, "app", "SELECT 1"));
        assertThat(run.alerts).extracting(a -> a.clientIp() + ">" + a.server().ip())
                .containsExactly("192.0.2.10>10.0.0.2", "192.0.2.20>10.0.0.3");
    }

    @Test
    void zeroLearningAlertsOnEveryFirstContact() {
        Run run = cfg().onlyNewClient().learningSeconds(0).run().feed(
                statement(0, "192.0.2.10", PG, "app", "SELECT 1"),
                statement(1, "192.0.2.10", PG, "app", "SELECT 1"));
        assertThat(run.alerts).hasSize(1);
    }

    @Test
    void knownPairsAreBoundedAndAnEvictedPairAlertsAgain() {
        Run run = cfg().onlyNewClient().learningSeconds(0).maxEntities(2).run().feed(
                statement(0, "192.0.2.1", PG, "app", "SELECT 1"),
                statement(1, "192.0.2.2", PG, "app", "SELECT 1"),
                statement(2, "192.0.2.1", PG, "app", "SELECT 1"), // touch .1: .2 is now the least recently seen
                statement(3, "192.0.2.3", PG, "app", "SELECT 1"), // evicts .2
                statement(4, "192.0.2.1", PG, "app", "SELECT 1"), // still known
                // forgotten: new again (after the 10 min suppression of its first alert, which would fold it)
                statement(700, "192.0.2.2", PG, "app", "SELECT 1"));
        assertThat(run.alerts).extracting(Alert::clientIp)
                .containsExactly("192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.2");
        assertThat(run.engine.counters().get(DetectEvent.ENTITIES_EVICTED)).isEqualTo(2);
    }

    @Test
    void disabledRaisesNothing() {
        Run run = cfg().onlyBruteforce().learningSeconds(0).run().feed(
                statement(0, "192.0.2.1", PG, "app", "SELECT 1"));
        assertThat(run.alerts).isEmpty();
    }
}
