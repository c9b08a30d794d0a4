package io.dbwire.core.detect;

import static io.dbwire.core.detect.TestRecords.PG;
import static io.dbwire.core.detect.TestRecords.PG2;
import static io.dbwire.core.detect.TestRecords.at;
import static io.dbwire.core.detect.TestRecords.cfg;
import static io.dbwire.core.detect.TestRecords.failedLogin;
import static io.dbwire.core.detect.TestRecords.okLogin;
import static io.dbwire.core.detect.TestRecords.statement;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.detector.DetectContext;
import io.dbwire.core.detect.detector.Detector;
import io.dbwire.core.detect.engine.DetectEvent;
import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DetectionEngineTest {

    /** Records what the engine tells a detector, as text. */
    private static final class Probe implements Detector {
        final List<String> calls = new ArrayList<>();

        @Override public String name() { return "probe"; }
        @Override public String mitre() { return "T0000"; }

        @Override
        public void observe(TransactionRecord r, long nowMicros, DetectContext ctx) {
            calls.add("observe " + (nowMicros - TestRecords.T0) / 1_000_000);
        }

        @Override
        public void onBucketClose(long startMicros, long endMicros, DetectContext ctx) {
            calls.add("close " + (startMicros - TestRecords.T0) / 1_000_000 + ".." + (endMicros - TestRecords.T0) / 1_000_000);
        }

        @Override
        public void finish(long nowMicros, DetectContext ctx) {
            calls.add("finish");
        }
    }

    private static DetectionEngine probeEngine(Probe probe, List<Alert> alerts) {
        return new DetectionEngine(cfg().build(), alerts::add, DetectionEngine.BUCKET_MICROS, ctx -> List.of(probe));
    }

    @Test
    void bucketsCloseOnPacketTimeOnly() {
        Probe probe = new Probe();
        DetectionEngine e = probeEngine(probe, new ArrayList<>());
        e.accept(statement(10, "192.0.2.1", PG, "app", "SELECT 1"));
        e.accept(statement(59, "192.0.2.1", PG, "app", "SELECT 1"));
        assertThat(probe.calls).containsExactly("observe 10", "observe 59");
        e.advanceTo(at(60));
        e.advanceTo(at(61)); // still in the bucket 60..120
        e.advanceTo(at(30)); // behind packet time: ignored
        e.accept(statement(185, "192.0.2.1", PG, "app", "SELECT 1"));
        e.finish();
        assertThat(probe.calls).containsExactly("observe 10", "observe 59", "close 0..60", "close 60..120",
                "close 120..180", "observe 185", "close 180..240", "finish");
        assertThat(e.counters().get(DetectEvent.BUCKETS_CLOSED)).isEqualTo(4);
    }

    @Test
    void lateRecordsAreObservedAtPacketTimeAndCounted() {
        Probe probe = new Probe();
        DetectionEngine e = probeEngine(probe, new ArrayList<>());
        e.accept(statement(100, "192.0.2.1", PG, "app", "SELECT 1"));
        e.accept(statement(90, "192.0.2.1", PG, "app", "SELECT 1"));
        assertThat(probe.calls).containsExactly("observe 100", "observe 100");
        assertThat(e.counters().get(DetectEvent.RECORDS_LATE)).isEqualTo(1);
        assertThat(e.counters().get(DetectEvent.RECORDS_SEEN)).isEqualTo(2);
        assertThat(e.nowMicros()).isEqualTo(at(100));
    }

    @Test
    void aLongJumpReplaysAtMostTheCatchUpBound() {
        Probe probe = new Probe();
        DetectionEngine e = probeEngine(probe, new ArrayList<>());
        e.accept(statement(0, "192.0.2.1", PG, "app", "SELECT 1"));
        e.advanceTo(at(24 * 3600));
        long closes = probe.calls.stream().filter(c -> c.startsWith("close")).count();
        assertThat(closes).isEqualTo(DetectionEngine.MAX_CATCH_UP);
        assertThat(e.counters().get(DetectEvent.BUCKETS_SKIPPED)).isEqualTo(24 * 60 - DetectionEngine.MAX_CATCH_UP);
    }

    @Test
    void finishWithoutInputIsQuiet() {
        Probe probe = new Probe();
        DetectionEngine e = probeEngine(probe, new ArrayList<>());
        e.finish();
        assertThat(probe.calls).isEmpty();
        assertThat(e.alertsEmitted()).isZero();
    }

    /** A seeded mix of statements, logins and failures from several clients across learning and after. */
    private static List<TransactionRecord> traffic(long seed) {
        Random rnd = new Random(seed);
        List<TransactionRecord> out = new ArrayList<>();
        double t = 0;
        for (int i = 0; i < 3000; i++) {
            t += rnd.nextInt(4000) / 1000.0;
            String client = "198.51.100." + rnd.nextInt(rnd.nextInt(10) < 8 ? 5 : 60);
            var server = rnd.nextBoolean() ? PG : PG2;
            int pick = rnd.nextInt(10);
            if (pick < 6) {
                out.add(statement(t, client, server, "app", "SELECT * FROM t WHERE id = " + rnd.nextInt(100)));
            } else if (pick < 9) {
                out.add(failedLogin(t, client, server, "user" + rnd.nextInt(8), "28P01"));
            } else {
                out.add(okLogin(t, client, server, "app"));
            }
        }
        return out;
    }

    private static List<String> replay(List<TransactionRecord> records) {
        TestRecords.Run run = cfg().learningSeconds(600).threshold(3).windowSeconds(30).suppressionSeconds(300).run();
        for (TransactionRecord r : records) {
            run.engine.accept(r);
        }
        run.engine.finish();
        return run.json();
    }

    @Test
    void theSameRecordsGiveTheSameAlertsByteForByte() {
        long seed = 20260101L;
        List<TransactionRecord> records = traffic(seed);
        List<String> first = replay(records);
        List<String> second = replay(records);
        assertThat(first).as("seed %d", seed).isNotEmpty().isEqualTo(second);
        assertThat(first).anyMatch(j -> j.contains("\"detection\":\"new_client\""));
        assertThat(first).anyMatch(j -> j.contains("\"detection\":\"auth_bruteforce\""));
        assertThat(first).anyMatch(j -> j.contains("\"severity\":\"critical\""));
    }

    @Test
    void alertsComeOutInPacketTimeOrder() {
        List<Alert> alerts = new ArrayList<>();
        DetectionEngine e = new DetectionEngine(cfg().learningSeconds(600).threshold(3).windowSeconds(30)
                .suppressionSeconds(300).build(), alerts::add);
        traffic(7).forEach(e::accept);
        e.finish();
        assertThat(alerts).isNotEmpty();
        assertThat(alerts).extracting(Alert::tsMicros).isSorted();
        assertThat(e.alertsEmitted()).isEqualTo(alerts.size());
        assertThat(e.counters().get(DetectEvent.ALERTS_EMITTED)).isEqualTo(alerts.size());
    }
}
