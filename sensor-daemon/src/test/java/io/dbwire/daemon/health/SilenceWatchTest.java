package io.dbwire.daemon.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.AlertJson;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class SilenceWatchTest {
    private static final long S = 1_000_000L;
    /** Silence counts after 60 s at least, or 5 usual intervals; steady after 10 min and 10 observations. */
    private final SilenceWatch watch = new SilenceWatch(new SilenceWatch.Settings(60 * S, 5, 600 * S, 10));

    /** A source heard every {@code everySeconds} from t=0 until {@code untilSeconds}. */
    private static SourceTable source(long everySeconds, long untilSeconds) throws Exception {
        SourceTable t = new SourceTable(8);
        for (long ts = 0; ts <= untilSeconds; ts += everySeconds) {
            t.record(InetAddress.getByName("10.0.1.5"), 4242, 100, ts * S);
        }
        return t;
    }

    @Test
    void aSteadySourceThatStopsRaisesOneAlertAfterItsThreshold() throws Exception {
        List<Activity> busy = source(1, 900).snapshot(); // every second for 15 minutes
        assertThat(watch.check(busy, 960 * S)).isEmpty(); // 60 s quiet: not more than the 60 s floor
        List<Alert> alerts = watch.check(busy, 961 * S);
        assertThat(alerts).hasSize(1);
        assertThat(watch.check(busy, 2_000 * S)).as("same silence, alerted once").isEmpty();

        JsonNode json = new ObjectMapper().readTree(AlertJson.toJson(alerts.get(0)));
        assertThat(json.get("detection").asText()).isEqualTo("mirror_silence");
        assertThat(json.get("summary").asText()).startsWith("no mirrored packets from 10.0.1.5 (VNI 4242) for 61 s");
        assertThat(json.get("observed").get("silent_seconds").asDouble()).isEqualTo(61.0);
        assertThat(json.get("window").get("start").asText()).isEqualTo("1970-01-01T00:15:00.000000Z");
        assertThat(json.get("client").isNull()).isTrue();
        assertThat(json.get("server").isNull()).isTrue();
    }

    @Test
    void aSlowSourceIsGivenSeveralOfItsOwnIntervals() throws Exception {
        List<Activity> slow = source(30, 1_800).snapshot(); // every 30 s: threshold 150 s
        assertThat(watch.check(slow, 1_800 * S + 150 * S)).isEmpty();
        assertThat(watch.check(slow, 1_800 * S + 151 * S)).hasSize(1);
    }

    @Test
    void anOriginNotYetSteadyNeverRaises() throws Exception {
        assertThat(watch.check(source(1, 300).snapshot(), 10_000 * S)).isEmpty(); // heard only 5 minutes
    }

    @Test
    void trafficResumingRearmsTheAlert() throws Exception {
        SourceTable t = source(1, 900);
        assertThat(watch.check(t.snapshot(), 1_000 * S)).hasSize(1);
        t.record(InetAddress.getByName("10.0.1.5"), 4242, 100, 1_001 * S);
        assertThat(watch.check(t.snapshot(), 1_002 * S)).isEmpty();
        assertThat(watch.check(t.snapshot(), 1_100 * S)).hasSize(1);
    }

    @Test
    void serversAreNamedWithTheirEndpoint() {
        ServerTable servers = new ServerTable(4);
        for (long ts = 0; ts <= 900; ts += 10) {
            servers.record(new io.dbwire.core.record.Endpoint("10.0.2.7", 5432), ts * S);
        }
        List<Alert> alerts = watch.check(servers.snapshot(), 2_000 * S);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.summary()).startsWith("no records from server 10.0.2.7:5432");
            assertThat(a.server()).isEqualTo(new io.dbwire.core.record.Endpoint("10.0.2.7", 5432));
        });
    }
}
