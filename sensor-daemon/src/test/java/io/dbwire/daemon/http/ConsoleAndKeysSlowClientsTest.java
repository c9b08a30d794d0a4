package io.dbwire.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dbwire.core.tls.KeyLogStore;
import io.dbwire.daemon.console.ConsoleServer;
import io.dbwire.daemon.tls.KeyListener;
import io.dbwire.daemon.tls.KeyListenerToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow-loris and big-body clients against the web console and the key listener, as SlowClientsTest does for
 * /health: held connections hold no thread, idle ones are closed by the read timeout and counted, refused bodies
 * are not read, and the bodies held at once stay within the key listener's budget.
 */
class ConsoleAndKeysSlowClientsTest {
    private static final String TOKEN = "s3cret-token-for-tests-0123456789abcdefg";
    private static final int IDLE_CLIENTS = 300;

    @TempDir
    Path dir;

    private KeyListenerToken token() throws Exception {
        return KeyListenerToken.read(Files.writeString(dir.resolve("token"), TOKEN + "\n"));
    }

    @Test
    void theConsoleAnswersWhileManyClientsHoldHalfARequest() throws Exception {
        try (ConsoleServer console = ConsoleServer.start("127.0.0.1", 0, token(),
                () -> JsonNodeFactory.instance.objectNode().put("mode", "live"))) {
            List<Socket> idle = holdHalfRequests(console.address(), "GET /api/snapshot HTTP/1.1\r\nHost: x\r\n");
            try {
                for (int i = 0; i < 5; i++) {
                    long start = System.nanoTime();
                    String answer = exchange(console.address(), "GET /api/snapshot HTTP/1.1\r\nHost: x\r\n"
                            + "Authorization: Bearer " + TOKEN + "\r\nConnection: close\r\n\r\n");
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    assertThat(answer).startsWith("HTTP/1.1 200 OK").contains("Cache-Control: no-store")
                            .endsWith("{\"mode\":\"live\"}");
                    assertThat(millis).as("snapshot answered in %d ms", millis).isLessThan(2_000);
                }
                assertThat(exchange(console.address(), "GET /app.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                        .startsWith("HTTP/1.1 401");
            } finally {
                close(idle);
            }
        }
    }

    @Test
    void anIdleConsoleConnectionIsClosedByTheReadTimeoutAndCounted() throws Exception {
        try (ConsoleServer console = ConsoleServer.start("127.0.0.1", 0, null,
                () -> JsonNodeFactory.instance.objectNode())) {
            try (Socket s = new Socket()) {
                s.connect(console.address(), 2_000);
                s.getOutputStream().write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                s.setSoTimeout((HttpLimits.POLLED.readTimeoutSeconds() + 10) * 1_000);
                long start = System.nanoTime();
                assertThat(s.getInputStream().read()).isEqualTo(-1); // closed, nothing answered
                long seconds = (System.nanoTime() - start) / 1_000_000_000L;
                assertThat(seconds).isBetween(HttpLimits.POLLED.readTimeoutSeconds() - 1L,
                        HttpLimits.POLLED.readTimeoutSeconds() + 5L);
            }
            assertThat(console.http().timedOutConnections()).isEqualTo(1);
            assertThat(io.dbwire.daemon.metrics.PrometheusText.http(java.util.Map.of("console", console.http().counts())))
                    .contains("dbwire_http_connections_timed_out_total{server=\"console\"} 1\n")
                    .contains("dbwire_http_connections_refused_total{server=\"console\"} 0\n");
        }
    }

    @Test
    void theKeyListenerAnswersWhileManyClientsHoldHalfARequest() throws Exception {
        KeyLogStore store = new KeyLogStore(100, 60_000_000L);
        try (KeyListener keys = KeyListener.start("127.0.0.1", 0, token(), store, () -> 1L)) {
            List<Socket> idle = holdHalfRequests(keys.address(),
                    "POST /keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Length: 100\r\n\r\n#");
            try {
                for (int i = 0; i < 5; i++) {
                    long start = System.nanoTime();
                    String answer = post(keys.address(), TOKEN, "# a comment\n");
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    assertThat(answer).startsWith("HTTP/1.1 200 OK").endsWith("{\"added\":0,\"ignored\":1,\"too_long\":0}\n");
                    assertThat(millis).as("keys answered in %d ms", millis).isLessThan(2_000);
                }
            } finally {
                close(idle);
            }
        }
    }

    @Test
    void aForwarderThatExpects100ContinueIsToldToSendItsBody() throws Exception {
        try (KeyListener keys = KeyListener.start("127.0.0.1", 0, token(), new KeyLogStore(100, 60_000_000L),
                () -> 1L); Socket s = new Socket()) {
            s.connect(keys.address(), 2_000);
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            String body = "# from curl\n";
            out.write(("POST /keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Length: "
                    + body.length() + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            assertThat(new String(in.readNBytes(25), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            out.write(body.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200 OK")
                    .endsWith("{\"added\":0,\"ignored\":1,\"too_long\":0}\n");
        }
    }

    @Test
    void aRefusedClientsBodyIsNotReadToItsEnd() throws Exception {
        try (KeyListener keys = KeyListener.start("127.0.0.1", 0, token(), new KeyLogStore(100, 60_000_000L),
                () -> 1L); Socket s = new Socket()) {
            s.connect(keys.address(), 2_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong\r\nContent-Length: 50000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 401");
            long written = 0;
            byte[] chunk = new byte[64 * 1024];
            try {
                while (written < 50_000_000L) {
                    out.write(chunk);
                    written += chunk.length;
                }
            } catch (SocketException closed) {
                // the server closed the connection after dropping at most its discard bound
            }
            assertThat(written).as("bytes the refused client could send").isLessThan(20_000_000L);
            assertThat(keys.stats().refused()).isEqualTo(1);
        }
    }

    @Test
    void bodiesHeldAtOnceStayWithinTheBudgetAndAreReleased() throws Exception {
        try (KeyListener keys = KeyListener.start("127.0.0.1", 0, token(), new KeyLogStore(100, 60_000_000L),
                () -> 1L)) {
            // Eight trusted forwarders each send three quarters of a 1 MiB body and stall: 6 MiB against 4 MiB.
            List<Socket> stalled = new ArrayList<>();
            byte[] part = "#".repeat(768 * 1024).getBytes(StandardCharsets.US_ASCII);
            try {
                for (int i = 0; i < 8; i++) {
                    Socket s = new Socket();
                    s.connect(keys.address(), 2_000);
                    s.setSoTimeout(10_000);
                    OutputStream out = s.getOutputStream();
                    out.write(("POST /keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                            + "\r\nContent-Length: " + (1 << 20) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    try {
                        out.write(part);
                        out.flush();
                    } catch (SocketException refused) {
                        // answered 503 and closed while writing
                    }
                    stalled.add(s);
                }
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (keys.http().busyRefusals() < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(keys.http().busyRefusals()).as("refused for the budget").isBetween(3L, 4L);
            } finally {
                close(stalled);
            }
            Thread.sleep(500); // the closes reach the server and release what the stalled bodies held
            assertThat(post(keys.address(), TOKEN, "# after\n")).startsWith("HTTP/1.1 200 OK");
        }
    }

    private static List<Socket> holdHalfRequests(InetSocketAddress at, String half) throws IOException {
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < IDLE_CLIENTS; i++) {
            Socket s = new Socket();
            s.connect(at, 2_000);
            if (i % 2 == 0) { // half a request, then silence; the others send nothing at all
                s.getOutputStream().write(half.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
            }
            idle.add(s);
        }
        return idle;
    }

    private static String post(InetSocketAddress at, String token, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.US_ASCII);
        return exchange(at, "POST /keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\nContent-Length: "
                + b.length + "\r\nConnection: close\r\n\r\n" + body);
    }

    private static String exchange(InetSocketAddress at, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(at, 2_000);
            s.setSoTimeout(5_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void close(List<Socket> sockets) throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
    }
}
