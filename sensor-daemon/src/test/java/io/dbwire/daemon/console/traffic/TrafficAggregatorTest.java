package io.dbwire.daemon.console.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dbwire.core.record.DatabaseProtocol;
import io.dbwire.core.record.Endpoint;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.RequestInfo;
import io.dbwire.core.record.ResponseInfo;
import io.dbwire.core.record.SessionInfo;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.daemon.config.DaemonConfig;
import io.dbwire.daemon.config.SensorConfigMapper;
import io.dbwire.daemon.lifecycle.Replay;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficAggregatorTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Test
    void theBundledCaptureShowsItsServerUserFingerprintAndAlert() throws Exception {
        TrafficAggregator agg = new TrafficAggregator();
        Replay.run(SensorConfigMapper.toSensorConfig(DaemonConfig.defaults()),
                List.of(Path.of("../testdata/pg-basic-vxlan.pcap")), agg::accept, agg::accept);
        JsonNode snap = agg.snapshot(F, agg.lastPacketMicros());

        assertThat(snap.get("records").asLong()).isEqualTo(30);
        assertThat(snap.get("sources")).hasSize(1);
        assertThat(snap.get("sources").get(0).get("vni").asInt()).isEqualTo(4242);
        JsonNode server = snap.get("servers").get(0);
        assertThat(server.get("id").asText()).isEqualTo("127.0.0.1:5432");
        JsonNode t = server.get("traffic");
        assertThat(t.get("connections").asLong()).isEqualTo(16);
        assertThat(t.get("statements").asLong()).isPositive();
        assertThat(t.get("login_failures").asLong()).isEqualTo(12);
        // one of the sessions is TLS (sslmode=require) without keys: its bytes are the TLS share
        assertThat(t.get("tls_sessions").asLong()).isEqualTo(1);
        assertThat(t.get("share").get("tls").asDouble()).isBetween(0.01, 0.5);
        assertThat(t.get("share").get("clear").asDouble() + t.get("share").get("tls").asDouble())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.002));
        assertThat(t.get("latency_us").get("p95").asLong()).isGreaterThanOrEqualTo(t.get("latency_us").get("p50").asLong());
        assertThat(t.get("hour").get("statements")).hasSize(60);
        long inSeries = 0;
        for (JsonNode n : t.get("hour").get("statements")) {
            inSeries += n.asLong();
        }
        assertThat(inSeries).isEqualTo(t.get("statements").asLong());
        assertThat(server.get("users").findValuesAsText("name")).contains("app");
        assertThat(server.get("applications").findValuesAsText("name")).contains("orders-api");
        assertThat(server.get("fingerprints").findValuesAsText("fingerprint")).contains("b061d4634e4c8efa");
        assertThat(snap.get("alerts").get(0).get("detection").asText()).isEqualTo("auth_bruteforce");
        assertThat(snap.get("alert_counts").get("by_detection").get("auth_bruteforce").asLong()).isEqualTo(2);
    }

    @Test
    void tablesStayBoundedAndCountWhatTheyTurnAway() {
        TrafficAggregator agg = new TrafficAggregator();
        int clients = ServerTraffic.MAX_NAMES + 5;
        for (int i = 0; i < clients; i++) {
            agg.accept(statement(i, "10.0." + (i / 250) + "." + (i % 250), "fp" + i));
        }
        JsonNode snap = agg.snapshot(F, 1_000_000_000L + clients);
        JsonNode server = snap.get("servers").get(0);
        assertThat(server.get("client_count").asInt()).isEqualTo(ServerTraffic.MAX_NAMES);
        assertThat(snap.get("bounds").get("names_untracked").asLong()).isEqualTo(5);
        assertThat(server.get("fingerprint_count").asInt()).isEqualTo(ServerTraffic.MAX_FINGERPRINTS);
        assertThat(snap.get("bounds").get("fingerprints_evicted").asLong())
                .isEqualTo(clients - ServerTraffic.MAX_FINGERPRINTS);
        assertThat(server.get("clients")).hasSize(ServerTraffic.SHOWN);
    }

    @Test
    void aRecordOlderThanTheHourIsCountedButNotPlaced() {
        TrafficAggregator agg = new TrafficAggregator();
        long now = 10_000L * 60_000_000L;
        agg.accept(statement(1, "10.0.0.1", "a", now));
        agg.accept(statement(2, "10.0.0.1", "a", now - 2 * 3_600_000_000L));
        JsonNode snap = agg.snapshot(F, now);
        assertThat(snap.get("bounds").get("records_older_than_series").asLong()).isEqualTo(1);
        assertThat(snap.get("servers").get(0).get("traffic").get("statements").asLong()).isEqualTo(2);
    }

    private static TransactionRecord statement(long conn, String client, String fingerprint) {
        return statement(conn, client, fingerprint, 1_000_000_000L + conn);
    }

    private static TransactionRecord statement(long conn, String client, String fingerprint, long ts) {
        return TransactionRecord.builder(RecordKind.STATEMENT, DatabaseProtocol.POSTGRESQL)
                .ts(ts).connection(conn, 7)
                .client(new Endpoint(client, 40000)).server(new Endpoint("10.1.1.1", 5432))
                .session(new SessionInfo("u", "db", "app", false, false))
                .statement(new StatementInfo("SELECT ?", fingerprint, "SELECT")).request(new RequestInfo(20))
                .response(new ResponseInfo(1L, null, 40, 100L, 150L)).build();
    }
}
