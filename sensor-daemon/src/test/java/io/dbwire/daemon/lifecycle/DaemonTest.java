package io.dbwire.daemon.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.daemon.config.ConfigLoader;
import io.dbwire.daemon.config.DaemonConfig;
import io.dbwire.core.detect.alert.AlertJson;
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
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code dbwire run} in-process on loopback: datagrams in, sensor stats and HTTP out, then the SIGTERM path. */
class DaemonTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final int DATAGRAMS = 50;

    @TempDir
    Path dir;

    /**
     * A VXLAN payload (RFC 7348 section 5): flags 0x08 (VNI valid), 3 reserved bytes, VNI 24 bits, 1 reserved byte;
     * then a 60-byte inner Ethernet frame whose first byte numbers the datagram.
     */
    private static byte[] vxlanPayload(int index) {
        byte[] p = new byte[8 + 60];
        p[0] = 0x08;              // flags: I
        p[4] = 0x00;              // VNI 0x000001 in bytes 4..6
        p[5] = 0x00;
        p[6] = 0x01;
        p[8] = (byte) index;      // inner destination MAC, first byte
        return p;
    }

    private DaemonConfig config() throws Exception {
        String yaml = "listen: {address: 127.0.0.1, vxlan_port: 0, geneve_port: 0, queue_packets: 1024}\n"
                + "console: {port: null}\n" + "metrics: {address: 127.0.0.1, port: 0}\n"
                + "alerts: {file: " + dir.resolve("log/alerts.jsonl") + "}\n"
                + "records: {file: " + dir.resolve("records.jsonl") + "}\n"
                + "state: {directory: " + dir + "}\n";
        return new ConfigLoader().parse(yaml);
    }

    @ParameterizedTest(name = "epoll preferred: {0}")
    @ValueSource(booleans = {true, false})
    void receivesDatagramsServesMetricsAndStopsCleanly(boolean preferEpoll) throws Exception {
        Daemon daemon = new Daemon(config(),
                new Daemon.Options(preferEpoll, Duration.ofHours(1), MicrosClock.SYSTEM, AlertJson::toJson));
        daemon.start();
        try {
            assertThat(daemon.transport()).isEqualTo(preferEpoll ? daemonTransportIfEpoll() : "nio");
            try (DatagramSocket socket = new DatagramSocket()) {
                for (int i = 0; i < DATAGRAMS; i++) {
                    byte[] p = vxlanPayload(i);
                    socket.send(new DatagramPacket(p, p.length, daemon.vxlanAddress()));
                }
                byte[] g = new byte[8 + 60]; // a GENEVE payload to the GENEVE port counts too
                socket.send(new DatagramPacket(g, g.length, daemon.geneveAddress()));
            }
            int expected = DATAGRAMS + 1;
            // UDP on loopback does not lose datagrams at this rate; the deadline only bounds a broken run.
            awaitTrue(() -> daemon.sensorStats().packets() == expected);
            assertThat(daemon.sensorStats().bytes()).isEqualTo(expected * 68L);
            assertThat(daemon.counters().datagrams()).isEqualTo(expected);
            assertThat(daemon.counters().queueFullDrops()).isZero();

            InetSocketAddress http = daemon.metricsAddress();
            assertThat(get(http, "/health")).startsWith("200 {\"status\":\"ok\"");
            assertThat(get(http, "/metrics"))
                    .contains("\ndbwire_packets_total " + expected + "\n")
                    .contains("\ndbwire_datagrams_received_total " + expected + "\n")
                    .contains("dbwire_datagrams_dropped_total{reason=\"queue_full\"} 0\n");
            assertThat(get(http, "/nope")).startsWith("404");
        } finally {
            daemon.stop();
        }
        assertThat(daemon.sensorStats().packets()).isEqualTo(DATAGRAMS + 1);
        assertThat(daemon.healthy()).isFalse();
        assertThat(dir.resolve("records.jsonl")).exists();
        assertThat(dir.resolve("log/alerts.jsonl")).exists();
        daemon.stop(); // a second stop (hook after an explicit stop) is harmless
    }

    @ParameterizedTest(name = "port taken, epoll preferred: {0}")
    @ValueSource(booleans = {true, false})
    void aTakenPortFailsStartNamingTheKey(boolean preferEpoll) throws Exception {
        try (DatagramSocket taken = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            String yaml = "listen: {address: 127.0.0.1, vxlan_port: " + taken.getLocalPort() + "}\n"
                    + "console: {port: null}\n" + "metrics: {port: null}\nalerts: {file: " + dir.resolve("a.jsonl") + "}\n";
            Daemon daemon = new Daemon(new ConfigLoader().parse(yaml),
                    new Daemon.Options(preferEpoll, Duration.ofHours(1), MicrosClock.SYSTEM, AlertJson::toJson));
            org.assertj.core.api.Assertions.assertThatThrownBy(daemon::start)
                    .isInstanceOf(DaemonStartException.class)
                    .hasMessageStartingWith("listen.vxlan_port: cannot bind udp 127.0.0.1:" + taken.getLocalPort());
            assertThat(daemon.healthy()).isFalse();
        }
    }

    private static String daemonTransportIfEpoll() {
        return io.netty.channel.epoll.Epoll.isAvailable() ? "epoll" : "nio";
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

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + DEADLINE);
            }
            Thread.sleep(20);
        }
    }
}
