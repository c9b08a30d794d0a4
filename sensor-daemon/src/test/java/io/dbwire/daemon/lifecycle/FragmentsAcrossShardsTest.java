package io.dbwire.daemon.lifecycle;

import io.dbwire.daemon.console.VxlanDatagrams;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.alert.AlertJson;
import io.dbwire.core.record.RecordJson;
import io.dbwire.daemon.config.ConfigLoader;
import io.dbwire.daemon.config.SensorConfigMapper;
import io.dbwire.daemon.clock.MicrosClock;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * IP fragments reach the shard that owns their connection: the bundled VXLAN capture with every inner packet that
 * carries data cut into IPv4 fragments (some sent last-first), sent to {@code run} with several pipeline threads,
 * gives each connection the records that replaying the unfragmented file gives.
 */
class FragmentsAcrossShardsTest {
    private static final Path CAPTURE = Path.of("../testdata/pg-basic-vxlan.pcap");
    /** VXLAN header (8) + inner Ethernet (14): where the inner IPv4 header starts in a VXLAN payload. */
    private static final int INNER_IP = 22;
    /** Fragment data size, a multiple of 8 as RFC 791 requires of all but the last. */
    private static final int CHUNK = 48;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "pipeline threads: {0}")
    @ValueSource(ints = {3, 4})
    void fragmentedDatagramsGiveTheRecordsOfTheWholeCapture(int threads) throws Exception {
        String yaml = "listen: {address: 127.0.0.1, vxlan_port: 0, queue_packets: 8192, pipeline_threads: " + threads
                + "}\n"
                + "metrics: {port: null}\n"
                + "alerts: {file: " + dir.resolve("alerts.jsonl") + "}\n"
                + "records: {file: " + dir.resolve("records.jsonl") + "}\n"
                + "state: {directory: " + dir + "}\n";
        var config = new ConfigLoader().parse(yaml);
        List<String> replayRecords = new ArrayList<>();
        Replay.run(SensorConfigMapper.toSensorConfig(config), List.of(CAPTURE),
                r -> replayRecords.add(RecordJson.toJson(r)), a -> { });

        List<byte[]> datagrams = new ArrayList<>();
        int id = 1;
        int fragmented = 0;
        for (byte[] p : VxlanDatagrams.payloads(CAPTURE)) {
            List<byte[]> pieces = fragment(p, id++);
            fragmented += pieces.size() > 1 ? 1 : 0;
            if (id % 3 == 0) {
                Collections.reverse(pieces); // the last fragment first: reassembly must not depend on order
            }
            datagrams.addAll(pieces);
        }
        assertThat(fragmented).isGreaterThan(10);

        Daemon daemon = new Daemon(config,
                new Daemon.Options(true, Duration.ofHours(1), MicrosClock.SYSTEM, AlertJson::toJson));
        daemon.start();
        try (DatagramSocket socket = new DatagramSocket()) {
            for (byte[] d : datagrams) {
                socket.send(new DatagramPacket(d, d.length, daemon.vxlanAddress()));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (daemon.sensorStats().packets() < datagrams.size() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            daemon.stop();
        }
        assertThat(daemon.counters().queueFullDrops()).isZero();
        assertThat(daemon.sensorStats().packets()).isEqualTo(datagrams.size());
        assertThat(daemon.sensorStats().counters()).containsEntry("decap.tcp_reassembled", (long) fragmented);
        assertThat(daemon.sensorStats().problems()).doesNotContainKeys("decap.fragment_timeout",
                "decap.fragment_evicted", "tcp.gap_bytes");

        List<String> runRecords = Files.readAllLines(dir.resolve("records.jsonl"));
        assertThat(replayRecords).hasSize(30);
        assertThat(RunMatchesReplayTest.perConnection(runRecords))
                .isEqualTo(RunMatchesReplayTest.perConnection(replayRecords));
    }

    /**
     * The VXLAN payload as IPv4 fragments of its inner packet when that carries more than a chunk of data (each with
     * the VXLAN and Ethernet headers in front), otherwise unchanged. The IP identification is set to {@code id} so
     * that no two datagrams of the capture share one.
     */
    private static List<byte[]> fragment(byte[] vxlan, int id) {
        int ihl = (vxlan[INNER_IP] & 0x0f) * 4;
        int total = ByteBuffer.wrap(vxlan).getShort(INNER_IP + 2) & 0xffff;
        int data = total - ihl;
        if ((vxlan[INNER_IP] >> 4) != 4 || data <= CHUNK + 40) {
            return new ArrayList<>(List.of(vxlan));
        }
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < data; off += CHUNK) {
            int len = Math.min(CHUNK, data - off);
            boolean more = off + len < data;
            byte[] f = new byte[INNER_IP + ihl + len];
            System.arraycopy(vxlan, 0, f, 0, INNER_IP + ihl);
            System.arraycopy(vxlan, INNER_IP + ihl + off, f, INNER_IP + ihl, len);
            ByteBuffer b = ByteBuffer.wrap(f);
            b.putShort(INNER_IP + 2, (short) (ihl + len));
            b.putShort(INNER_IP + 4, (short) id);
            b.putShort(INNER_IP + 6, (short) ((more ? 0x2000 : 0) | (off / 8)));
            b.putShort(INNER_IP + 10, (short) 0);
            b.putShort(INNER_IP + 10, (short) checksum(f, INNER_IP, ihl));
            out.add(f);
        }
        return out;
    }

    private static int checksum(byte[] b, int off, int len) {
        int sum = 0;
        for (int i = 0; i < len; i += 2) {
            sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return ~sum & 0xffff;
    }
}
