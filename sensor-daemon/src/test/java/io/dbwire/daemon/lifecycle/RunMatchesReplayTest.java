package io.dbwire.daemon.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbwire.core.detect.alert.AlertJson;
import io.dbwire.core.record.RecordJson;
import io.dbwire.daemon.config.ConfigLoader;
import io.dbwire.daemon.console.VxlanDatagrams;
import io.dbwire.daemon.config.SensorConfigMapper;
import io.dbwire.daemon.sink.network.NetworkOutputs;
import io.dbwire.daemon.sink.format.AlertJsonPlus;
import io.dbwire.daemon.clock.MicrosClock;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} and {@code replay} are the same engine: the bundled VXLAN capture's UDP payloads, sent as datagrams
 * to a running daemon on loopback, give the same records and alerts as replaying the file. Only packet times
 * differ (the daemon stamps datagrams on receipt), so timestamps and durations are left out of the comparison.
 */
class RunMatchesReplayTest {
    private static final Path CAPTURE = Path.of("../testdata/pg-basic-vxlan.pcap");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long CONNECTION_SWITCH_PAUSE_MS = 25;

    @TempDir
    Path dir;

    /**
     * With several pipeline threads, records of different connections may interleave in another order: each
     * connection's own records keep theirs, so the comparison is of sorted lines there.
     */
    @ParameterizedTest(name = "pipeline threads: {0}")
    @ValueSource(ints = {1, 4})
    void datagramsSentToRunGiveTheRecordsAndAlertsOfReplay(int threads) throws Exception {
        String yaml = "listen: {address: 127.0.0.1, vxlan_port: 0, queue_packets: 4096, pipeline_threads: " + threads
                + "}\n"
                + "console: {port: null}\n" + "metrics: {port: null}\n"
                + "alerts: {file: " + dir.resolve("alerts.jsonl") + "}\n"
                + "records: {file: " + dir.resolve("records.jsonl") + "}\n"
                + "state: {directory: " + dir + "}\n";
        var config = new ConfigLoader().parse(yaml);

        List<String> replayRecords = new ArrayList<>();
        List<String> replayAlerts = new ArrayList<>();
        Replay.run(SensorConfigMapper.toSensorConfig(config), List.of(CAPTURE),
                r -> replayRecords.add(RecordJson.toJson(r)),
                a -> replayAlerts.add(new AlertJsonPlus(AlertJson::toJson, NetworkOutputs.sensorName(config.outputs()))
                        .format(a)));

        List<byte[]> payloads = VxlanDatagrams.payloads(CAPTURE);
        Daemon daemon = new Daemon(config,
                new Daemon.Options(true, Duration.ofHours(1), MicrosClock.SYSTEM, AlertJson::toJson));
        daemon.start();
        try (DatagramSocket socket = new DatagramSocket()) {
            int previousConnection = -1;
            for (byte[] p : payloads) {
                int connection = innerPortPair(p);
                if (connection != previousConnection && threads > 1) {
                    // On a real network one connection's last packet and the next one's first are far more than
                    // microseconds apart; sent back to back, another shard could hand its record to detection first
                    // and change what cross-connection detectors (failures, then a success) see.
                    Thread.sleep(CONNECTION_SWITCH_PAUSE_MS);
                }
                previousConnection = connection;
                socket.send(new DatagramPacket(p, p.length, daemon.vxlanAddress()));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (daemon.sensorStats().packets() < payloads.size() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            daemon.stop();
        }
        assertThat(daemon.counters().queueFullDrops()).isZero();
        assertThat(daemon.sensorStats().packets()).isEqualTo(payloads.size());

        List<String> runRecords = Files.readAllLines(dir.resolve("records.jsonl"));
        List<String> runAlerts = Files.readAllLines(dir.resolve("alerts.jsonl"));
        assertThat(replayRecords).hasSize(30);
        assertThat(replayAlerts).isNotEmpty();
        if (threads == 1) {
            assertThat(withoutTimes(runRecords)).isEqualTo(withoutTimes(replayRecords));
        } else {
            // Shards number their connections apart (no two share an id); ids aside, each connection's records
            // are the same and in the same order.
            java.util.Map<Integer, Long> idByPort = new java.util.HashMap<>();
            for (String line : runRecords) {
                JsonNode n = JSON.readTree(line);
                idByPort.put(n.get("client").get("port").asInt(), n.get("connection_id").asLong());
            }
            assertThat(new java.util.HashSet<>(idByPort.values())).hasSameSizeAs(idByPort.keySet());
            assertThat(perConnection(runRecords)).isEqualTo(perConnection(replayRecords));
        }
        assertThat(withoutTimes(runAlerts)).isEqualTo(withoutTimes(replayAlerts));
    }

    /** The inner TCP ports of a VXLAN payload (IPv4, optionally one VLAN tag), the same for both directions. */
    static int innerPortPair(byte[] vxlanPayload) {
        ByteBuffer b = ByteBuffer.wrap(vxlanPayload);
        int ethernet = 8;
        int ip = b.getShort(ethernet + 12) == (short) 0x8100 ? ethernet + 18 : ethernet + 14;
        int tcp = ip + (b.get(ip) & 0x0F) * 4;
        int a = b.getShort(tcp) & 0xFFFF;
        int c = b.getShort(tcp + 2) & 0xFFFF;
        return Math.min(a, c) << 16 | Math.max(a, c);
    }

    /** Each connection's records in their order, keyed by client port, without the sensor-local id. */
    static java.util.Map<Integer, List<String>> perConnection(List<String> lines) throws Exception {
        java.util.Map<Integer, List<String>> out = new java.util.TreeMap<>();
        for (String line : withoutTimes(lines)) {
            ObjectNode n = (ObjectNode) JSON.readTree(line);
            n.remove("connection_id");
            out.computeIfAbsent(n.get("client").get("port").asInt(), k -> new ArrayList<>()).add(n.toString());
        }
        return out;
    }

    /** Drops what depends on when packets were seen: times, durations, and ids derived from windows. */
    static List<String> withoutTimes(List<String> lines) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            ObjectNode n = (ObjectNode) JSON.readTree(line);
            // connection_ids: shards number their connections apart (see above); community_id: which connection's
            // record crosses a threshold first depends on how shards interleave; evidence_records name both
            n.remove(List.of("ts", "id", "window", "summary", "connection_ids", "community_id", "evidence_records"));
            if (n.get("response") instanceof ObjectNode response) {
                response.remove(List.of("server_us", "duration_us"));
            }
            if (n.get("tls") instanceof ObjectNode tls) {
                tls.remove("handshake_us");
                if (tls.get("turns") instanceof ObjectNode turns) {
                    turns.remove(List.of("sum_latency_us", "max_latency_us"));
                }
            }
            if (n.get("observed") instanceof ObjectNode observed) {
                observed.remove("window_seconds");
            }
            out.add(n.toString());
        }
        return out;
    }
}
