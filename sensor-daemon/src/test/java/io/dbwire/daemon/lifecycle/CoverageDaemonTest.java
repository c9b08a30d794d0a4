package io.dbwire.daemon.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbwire.core.detect.alert.AlertJson;
import io.dbwire.daemon.config.ConfigLoader;
import io.dbwire.daemon.clock.MicrosClock;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mirror sender on loopback sends steadily, then stops: /status lists it with its VNI and address, /health goes
 * from 200 to 503 within health.max_silence (plus a check period) and a mirror_silence alert is written.
 */
class CoverageDaemonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aSenderThatStopsIsNoticedByHealthAndAnAlert() throws Exception {
        String yaml = "listen: {address: 127.0.0.1, vxlan_port: 0}\n"
                + "metrics: {address: 127.0.0.1, port: 0}\n"
                + "alerts: {file: " + dir.resolve("alerts.jsonl") + "}\n"
                + "state: {directory: " + dir + "}\n"
                + "health: {max_silence: 2s, min_silence: 1s, silence_intervals: 3, steady_after: 1s}\n";
        Daemon daemon = new Daemon(new ConfigLoader().parse(yaml),
                new Daemon.Options(false, Duration.ofHours(1), MicrosClock.SYSTEM, AlertJson::toJson));
        daemon.start();
        try {
            InetSocketAddress http = daemon.metricsAddress();
            try (DatagramSocket socket = new DatagramSocket()) {
                long end = System.nanoTime() + Duration.ofMillis(1_500).toNanos();
                while (System.nanoTime() < end) {
                    byte[] p = vxlanPayload();
                    socket.send(new DatagramPacket(p, p.length, daemon.vxlanAddress()));
                    Thread.sleep(20);
                }
            }
            long stoppedNanos = System.nanoTime();
            daemon.checkHealthNow();
            assertThat(get(http, "/health")).startsWith("200 {\"status\":\"ok\"");
            JsonNode status = JSON.readTree(get(http, "/status").substring(4));
            assertThat(status.get("sources")).singleElement().satisfies(s -> {
                assertThat(s.get("vni").asText()).isEqualTo("4242");
                assertThat(s.get("source").asText()).isEqualTo("127.0.0.1");
                assertThat(s.get("packets").asLong()).isGreaterThanOrEqualTo(10);
            });
            assertThat(get(http, "/metrics")).contains("dbwire_source_packets_total{vni=\"4242\",source=\"127.0.0.1\"}");

            String health = get(http, "/health");
            while (health.startsWith("200") && System.nanoTime() - stoppedNanos < Duration.ofSeconds(20).toNanos()) {
                Thread.sleep(50);
                health = get(http, "/health");
            }
            double tookSeconds = (System.nanoTime() - stoppedNanos) / 1e9;
            assertThat(health).startsWith("503 {\"status\":\"degraded\"").contains("no mirrored or captured packet");
            // max_silence 2 s, give or take one check period (250 ms), plus scheduling slack.
            assertThat(tookSeconds).isBetween(1.5, 5.0); // noticed at a check: up to one period early or late
            String alerts = Files.readString(dir.resolve("alerts.jsonl"), StandardCharsets.UTF_8);
            assertThat(alerts.lines().map(l -> {
                try {
                    return JSON.readTree(l).get("detection").asText();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            })).contains("mirror_silence");
        } finally {
            daemon.stop();
        }
    }

    /** VXLAN header (flags I, VNI 4242) and a 60-byte inner frame. */
    private static byte[] vxlanPayload() {
        byte[] p = new byte[8 + 60];
        p[0] = 0x08;
        p[4] = 0x00;
        p[5] = 0x10;
        p[6] = (byte) 0x92;
        return p;
    }

    private static String get(InetSocketAddress a, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + a.getPort() + path).openConnection();
        c.setConnectTimeout(5_000);
        c.setReadTimeout(5_000);
        int status = c.getResponseCode();
        InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
        String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        c.disconnect();
        return status + " " + body;
    }
}
