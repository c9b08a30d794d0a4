package io.dbwire.daemon.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.AlertJson;
import org.junit.jupiter.api.Test;

class LossWatchTest {
    private final LossWatch watch = new LossWatch(0.01, 1_000);

    @Test
    void lossOverTheBoundRaisesOnceAndRearmsWhenBackUnder() throws Exception {
        assertThat(watch.check(new LossWatch.Totals(0, 0), 0)).isNull();
        assertThat(watch.check(new LossWatch.Totals(10_000, 50), 10_000_000)).isNull(); // 0.5 %
        assertThat(watch.over()).isFalse();
        Alert a = watch.check(new LossWatch.Totals(20_000, 350), 20_000_000); // 300 of 10300: 2.9 %
        assertThat(a).isNotNull();
        assertThat(watch.over()).isTrue();
        assertThat(watch.check(new LossWatch.Totals(30_000, 650), 30_000_000)).as("still over: no repeat").isNull();
        assertThat(watch.check(new LossWatch.Totals(40_000, 660), 40_000_000)).isNull(); // back under
        assertThat(watch.over()).isFalse();
        assertThat(watch.check(new LossWatch.Totals(50_000, 1_000), 50_000_000)).isNotNull();

        JsonNode json = new ObjectMapper().readTree(AlertJson.toJson(a));
        assertThat(json.get("detection").asText()).isEqualTo("capture_loss");
        assertThat(json.get("observed").get("lost").asLong()).isEqualTo(300);
        assertThat(json.get("mitre").isNull()).isTrue();
    }

    @Test
    void aTrickleIsNotJudged() {
        watch.check(new LossWatch.Totals(0, 0), 0);
        assertThat(watch.check(new LossWatch.Totals(10, 90), 1_000_000)).isNull();
        assertThat(watch.over()).isFalse();
    }
}
