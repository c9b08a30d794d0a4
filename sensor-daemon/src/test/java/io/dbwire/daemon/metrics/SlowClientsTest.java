package io.dbwire.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.pipeline.SensorStats;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Slow-loris against the health endpoint: hundreds of connections that send half a request and then nothing, and
 * some that connect and send nothing at all, must not stop /health answering a well-behaved client at once.
 */
class SlowClientsTest {
    private static final int IDLE_CLIENTS = 300;

    private static final MetricsSource SOURCE = new MetricsSource() {
        @Override
        public SensorStats sensorStats() {
            return SensorStats.EMPTY;
        }

        @Override
        public DaemonCounters counters() {
            return new DaemonCounters();
        }

        @Override
        public int queueDepth() {
            return 0;
        }

        @Override
        public boolean healthy() {
            return true;
        }

        @Override
        public long uptimeSeconds() {
            return 1;
        }
    };

    @Test
    void healthAnswersWhileManyClientsHoldHalfARequest() throws Exception {
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, SOURCE)) {
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < IDLE_CLIENTS; i++) {
                    Socket s = new Socket();
                    s.connect(server.address(), 2_000);
                    if (i % 2 == 0) { // half a request line, then silence; the others send nothing at all
                        s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                        s.getOutputStream().flush();
                    }
                    idle.add(s);
                }
                for (int i = 0; i < 5; i++) {
                    long start = System.nanoTime();
                    String answer = get(server.address(), "/health");
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    assertThat(answer).startsWith("HTTP/1.1 200 OK").contains("{\"status\":\"ok\"");
                    assertThat(millis).as("health answered in %d ms", millis).isLessThan(2_000);
                }
                assertThat(get(server.address(), "/metrics")).startsWith("HTTP/1.1 200 OK");
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
            }
        }
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAtOnceAndCounted() throws Exception {
        int limit = 20;
        try (HttpEndpoint http = HttpEndpoint.start("127.0.0.1", 0, "test-http",
                path -> new HttpEndpoint.Response(200, "text/plain", "ok\n"), limit)) {
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < limit + 5; i++) {
                    Socket s = new Socket();
                    s.connect(http.address(), 2_000);
                    idle.add(s);
                }
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (http.refusedConnections() < 5 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(http.refusedConnections()).isEqualTo(5);
                Socket last = idle.get(idle.size() - 1);
                last.setSoTimeout(5_000);
                assertThat(last.getInputStream().read()).isEqualTo(-1); // closed by the server
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
            }
            Thread.sleep(500); // the closes reach the server
            assertThat(get(http.address(), "/")).startsWith("HTTP/1.1 200 OK");
        }
    }

    private static String get(InetSocketAddress at, String path) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(at, 2_000);
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
