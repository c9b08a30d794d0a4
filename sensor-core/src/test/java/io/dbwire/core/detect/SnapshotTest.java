package io.dbwire.core.detect;

import static io.dbwire.core.detect.TestRecords.PG;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.baseline.RobustStats;
import io.dbwire.core.detect.detector.BaselineDetectorsTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbwire.core.detect.state.DetectionSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Engine state through JSON and back: what was learned is not learned again, and a bad tree is refused whole. */
class SnapshotTest {
    final ObjectMapper json = new ObjectMapper();

    TestRecords.Run learnedRun() {
        TestRecords.Run run = TestRecords.cfg().only("rate_spike", "new_user", "new_statement", "tls_downgrade",
                "risky_statement", "latency_regression", "error_burst", "data_staging").run();
        BaselineDetectorsTest.steady(run, "10.1.0.1", 0, 95, 20);
        run.feed(TestRecords.okLogin(95 * 60, "10.1.0.1", PG, "app"));
        return run;
    }

    DetectionSnapshot throughJson(DetectionSnapshot s) throws Exception {
        return json.readValue(json.writeValueAsBytes(s), DetectionSnapshot.class);
    }

    @Test
    void aRestoredEngineKeepsItsBaselinesAndLearningPeriod() throws Exception {
        TestRecords.Run before = learnedRun();
        DetectionSnapshot snap = throughJson(before.engine.snapshot());
        TestRecords.Run after = TestRecords.cfg().only("rate_spike", "new_user", "new_statement", "tls_downgrade",
                "risky_statement", "latency_regression", "error_burst", "data_staging").run();
        assertThat(after.engine.restore(snap)).isNull();
        // the restart came 10 minutes later: the baseline is there at once, the learning period is over
        BaselineDetectorsTest.steady(after, "10.1.0.1", 105, 106, 2_000);
        after.feed(TestRecords.okLogin(106 * 60 + 5, "10.1.0.1", PG, "intruder"));
        after.engine.advanceTo(TestRecords.at(107 * 60));
        assertThat(after.alerts).extracting(Alert::detection).contains("rate_spike", "new_user");
        // snapshot of the restored engine equals the original one's, entity by entity (same JSON but for time)
        Map<String, Object> a = new LinkedHashMap<>(snap.detectors());
        Map<String, Object> b = new LinkedHashMap<>(throughJson(restoredOnly(snap)).detectors());
        assertThat(json.writeValueAsString(b)).isEqualTo(json.writeValueAsString(a));
    }

    private DetectionSnapshot restoredOnly(DetectionSnapshot snap) {
        TestRecords.Run r = TestRecords.cfg().only("rate_spike", "new_user", "new_statement", "tls_downgrade",
                "risky_statement", "latency_regression", "error_burst", "data_staging").run();
        r.engine.restore(snap);
        return r.engine.snapshot();
    }

    @Test
    void aBadTreeIsRefusedWholeAndTheEngineStaysUsable() throws Exception {
        DetectionSnapshot snap = throughJson(learnedRun().engine.snapshot());
        Map<String, Object> broken = new LinkedHashMap<>(snap.detectors());
        broken.put("new_user", List.of("not", "a", "map"));
        TestRecords.Run run = TestRecords.cfg().only("rate_spike", "new_user").run();
        String why = run.engine.restore(new DetectionSnapshot(DetectionSnapshot.VERSION, 0, 0, broken));
        assertThat(why).contains("expected: an object");
        assertThat(run.engine.restore(new DetectionSnapshot(99, 0, 0, Map.of()))).contains("version");
        run.feed(TestRecords.okLogin(1, "10.1.0.1", PG, "app"));
        assertThat(run.engine.restore(snap)).isEqualTo("engine already saw records");
    }

    @Test
    void robustStatsRoundTripsOldestFirst() {
        RobustStats s = new RobustStats(5, 1, 100, 1);
        List<Double> in = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            s.add(i);
            in.add((double) i);
        }
        assertThat(s.values()).containsExactly(3, 4, 5, 6, 7);
        RobustStats t = new RobustStats(5, 1, 100, 1);
        t.restore(new double[] {1, 2, 3, 4, 5, 6, 7});
        assertThat(t.values()).containsExactly(3, 4, 5, 6, 7);
        assertThat(t.median()).isEqualTo(s.median());
    }
}
