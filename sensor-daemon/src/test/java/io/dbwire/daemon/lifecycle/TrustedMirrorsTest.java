package io.dbwire.daemon.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.alert.AlertJson;
import io.dbwire.daemon.config.ConfigLoader;
import io.dbwire.daemon.clock.MicrosClock;
import io.dbwire.daemon.trust.MirrorFilter.Rejection;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * listen.allowed_sources and listen.allowed_vnis through the real UDP listener: senders bound to 127.0.0.1
 * (trusted) and 127.0.0.2 (not), VNIs 7 (trusted) and 8 (not). Only trusted datagrams reach the sensor; every
 * other one is counted by reason on /metrics.
 */
class TrustedMirrorsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static byte[] vxlan(int vni) {
        byte[] p = new byte[8 + 60];
        p[0] = 0x08; // flags: I
        p[4] = (byte) (vni >>> 16);
        p[5] = (byte) (vni >>> 8);
        p[6] = (byte) vni;
        return p;
    }

    @ParameterizedTest(name = "epoll preferred: {0}")
    @ValueSource(booleans = {true, false})
    void onlyTrustedSendersAndVnisReachTheSensor(boolean preferEpoll) throws Exception {
        String yaml = "listen: {address: 127.0.0.1, vxlan_port: 0, allowed_sources: [127.0.0.1/32, 'fd00::/8'],"
                + " allowed_vnis: [7, 9]}\n"
                + "metrics: {address: 127.0.0.1, port: 0}\n"
                + "alerts: {file: " + dir.resolve("alerts.jsonl") + "}\n"
                + "records: {file: " + dir.resolve("records.jsonl") + "}\n"
                + "state: {directory: " + dir + "}\n";
        Daemon daemon = new Daemon(new ConfigLoader().parse(yaml),
                new Daemon.Options(preferEpoll, Duration.ofHours(1), MicrosClock.SYSTEM, AlertJson::toJson));
        daemon.start();
        try {
            InetSocketAddress to = daemon.vxlanAddress();
            try (DatagramSocket trusted = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
                    DatagramSocket stranger = new DatagramSocket(
                            new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0))) {
                for (int i = 0; i < 5; i++) {
                    send(trusted, vxlan(7), to);
                    send(trusted, vxlan(9), to);
                    send(trusted, vxlan(8), to);       // wrong VNI
                    send(stranger, vxlan(7), to);      // wrong sender, right VNI
                }
                send(trusted, new byte[] {0x08, 0, 0, 0}, to); // too short to carry a VNI
            }
            awaitTrue(() -> daemon.counters().datagrams() == 21);
            awaitTrue(() -> daemon.sensorStats().packets() == 10);
            assertThat(daemon.counters().rejectedDatagrams(Rejection.SOURCE_NOT_ALLOWED)).isEqualTo(5);
            assertThat(daemon.counters().rejectedDatagrams(Rejection.VNI_NOT_ALLOWED)).isEqualTo(5);
            assertThat(daemon.counters().rejectedDatagrams(Rejection.NO_TUNNEL_HEADER)).isEqualTo(1);
            assertThat(get(daemon.metricsAddress(), "/metrics"))
                    .contains("dbwire_datagrams_dropped_total{reason=\"source_not_allowed\"} 5\n")
                    .contains("dbwire_datagrams_dropped_total{reason=\"vni_not_allowed\"} 5\n")
                    .contains("dbwire_datagrams_dropped_total{reason=\"no_tunnel_header\"} 1\n");
        } finally {
            daemon.stop();
        }
        assertThat(daemon.sensorStats().packets()).isEqualTo(10);
    }

    private static void send(DatagramSocket s, byte[] p, InetSocketAddress to) throws IOException {
        s.send(new DatagramPacket(p, p.length, to));
    }

    private static String get(InetSocketAddress a, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + a.getPort() + path).openConnection();
        c.setConnectTimeout(5_000);
        c.setReadTimeout(5_000);
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
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
