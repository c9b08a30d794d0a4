package io.dbwire.daemon.tls;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dbwire.core.tls.KeyLogOutcome;
import io.dbwire.core.tls.KeyLogStore;
import io.dbwire.daemon.trust.MirrorFilter;
import io.dbwire.daemon.clock.MicrosClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /keys} for key forwarders, on the JDK's HTTP server: a body of NSS key log lines, authorised by
 * {@code Authorization: Bearer <token>} ({@link KeyListenerToken}), goes line by line into the shared
 * {@link KeyLogStore}, dated with the daemon's clock so the lines expire after {@code tls.key_ttl} like the
 * directory's. Plain HTTP: docs/tls.md says to bind it privately or front it with TLS.
 *
 * <p>Answers: 200 {@code {"added":N,"ignored":M,"too_long":K}}; 401 for a missing or wrong token (the body is not
 * read); 413 for a body over {@link #MAX_BODY}; 405 for another method; 404 for another path. One handler thread:
 * at most one body of {@link #MAX_BODY} is held at a time. Lines and tokens are never logged or echoed; every
 * outcome is counted.
 */
public final class KeyListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyListener.class);
    static final String PATH = "/keys";
    static final int MAX_BODY = 1 << 20;
    /** The same bound as the directory's: NSS lines are under 300 bytes. */
    static final int MAX_LINE = KeyLogDirectory.MAX_LINE;
    private static final String BEARER = "bearer ";

    private final HttpServer server;
    private final ExecutorService executor;
    private final KeyLogStore store;
    private final KeyListenerToken token;
    private final MicrosClock clock;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder tooLarge = new LongAdder();
    private final LongAdder badRequests = new LongAdder();
    private final LongAdder linesAdded = new LongAdder();
    private final LongAdder linesIgnored = new LongAdder();
    private final LongAdder linesTooLong = new LongAdder();
    private final LongAdder forbidden = new LongAdder();
    private final MirrorFilter clients;

    /** Counters since start; {@code badRequests} are other paths and methods. */
    public record Stats(long accepted, long refused, long bodiesTooLarge, long badRequests, long linesAdded,
            long linesIgnored, long linesTooLong, long forbidden) {}

    private KeyListener(HttpServer server, KeyLogStore store, KeyListenerToken token, MicrosClock clock,
            MirrorFilter clients) {
        this.clients = clients;
        this.server = server;
        this.store = store;
        this.token = token;
        this.clock = clock;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dbwire-keys");
            t.setDaemon(true);
            return t;
        });
    }

    public static KeyListener start(String address, int port, KeyListenerToken token, KeyLogStore store,
            MicrosClock clock) throws IOException {
        return start(address, port, token, store, clock, MirrorFilter.OPEN);
    }

    /** @param clients the addresses allowed to send keys (tls.key_listener.allowed_clients); others get 403 */
    public static KeyListener start(String address, int port, KeyListenerToken token, KeyLogStore store,
            MicrosClock clock, MirrorFilter clients) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 16);
        KeyListener l = new KeyListener(server, store, token, clock, clients);
        server.createContext("/", l::handle);
        server.setExecutor(l.executor);
        server.start();
        return l;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    public Stats stats() {
        return new Stats(accepted.sum(), refused.sum(), tooLarge.sum(), badRequests.sum(), linesAdded.sum(),
                linesIgnored.sum(), linesTooLong.sum(), forbidden.sum());
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!clients.allowsSource(ex.getRemoteAddress().getAddress())) {
                forbidden.increment(); // checked before anything of the request is read or answered
                send(ex, 403, "text/plain", "forbidden\n");
                return;
            }
            if (!PATH.equals(ex.getRequestURI().getPath())) {
                badRequests.increment();
                send(ex, 404, "text/plain", "not found\n");
                return;
            }
            if (!"POST".equals(ex.getRequestMethod())) {
                badRequests.increment();
                ex.getResponseHeaders().set("Allow", "POST");
                send(ex, 405, "text/plain", "method not allowed\n");
                return;
            }
            if (!token.matches(presentedToken(ex))) {
                refused.increment();
                long n = refused.sum();
                if (Long.bitCount(n) == 1) {
                    // 1st, 2nd, 4th, 8th...: an operator sees a misconfigured forwarder without a log flood.
                    LOG.warn("key listener: refused a request from {} (missing or wrong token); {} refused so far",
                            ex.getRemoteAddress().getAddress().getHostAddress(), n);
                }
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                send(ex, 401, "text/plain", "unauthorized\n");
                return;
            }
            byte[] body = readBounded(ex);
            if (body == null) {
                tooLarge.increment();
                send(ex, 413, "text/plain", "body over " + MAX_BODY + " bytes\n");
                return;
            }
            accepted.increment();
            send(ex, 200, "application/json", addLines(body));
        }
    }

    /** The token's bytes as sent (headers arrive as ISO-8859-1, which gives the bytes back), or null. */
    private static byte[] presentedToken(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null || h.length() <= BEARER.length() || !h.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return h.substring(BEARER.length()).strip().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The whole body, or null when it is (or announces itself) over {@link #MAX_BODY}: then no more is read. */
    private static byte[] readBounded(HttpExchange ex) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.strip()) > MAX_BODY) {
                    return null;
                }
            } catch (NumberFormatException e) {
                // The server itself rejects a malformed length; reading stays bounded either way.
            }
        }
        byte[] buf = new byte[8_192];
        int fill = 0;
        try (InputStream in = ex.getRequestBody()) {
            while (true) {
                if (fill == buf.length) {
                    if (buf.length > MAX_BODY) {
                        return null; // MAX_BODY + 1 bytes seen: too large, stop reading
                    }
                    buf = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_BODY + 1));
                }
                int n = in.read(buf, fill, buf.length - fill);
                if (n < 0) {
                    return Arrays.copyOf(buf, fill);
                }
                fill += n;
            }
        }
    }

    /** Splits on LF (a CR before it dropped); the last line may lack its newline since the body is complete. */
    private String addLines(byte[] body) {
        long now = clock.nowMicros();
        int added = 0;
        int ignored = 0;
        int tooLong = 0;
        int start = 0;
        while (start < body.length) {
            int nl = start;
            while (nl < body.length && body[nl] != '\n') {
                nl++;
            }
            int end = nl > start && body[nl - 1] == '\r' ? nl - 1 : nl;
            if (end - start > MAX_LINE) {
                tooLong++;
            } else if (store.addLine(new String(body, start, end - start, StandardCharsets.ISO_8859_1), now)
                    == KeyLogOutcome.ADDED) {
                added++;
            } else {
                ignored++; // blank, comment, unused label or malformed: counted by the store as tls.keylog.*
            }
            start = nl + 1;
        }
        Arrays.fill(body, (byte) 0); // the secrets now live in the store only
        linesAdded.add(added);
        linesIgnored.add(ignored);
        linesTooLong.add(tooLong);
        return "{\"added\":" + added + ",\"ignored\":" + ignored + ",\"too_long\":" + tooLong + "}\n";
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        Stats s = stats();
        LOG.info("key listener: {} requests accepted, {} refused (token), {} bodies too large, {} bad requests; "
                        + "lines {} added, {} ignored, {} too long",
                s.accepted(), s.refused(), s.bodiesTooLarge(), s.badRequests(), s.linesAdded(), s.linesIgnored(),
                s.linesTooLong());
    }
}
