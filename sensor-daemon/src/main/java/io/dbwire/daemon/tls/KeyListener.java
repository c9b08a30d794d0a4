package io.dbwire.daemon.tls;

import io.dbwire.core.tls.KeyLogOutcome;
import io.dbwire.core.tls.KeyLogStore;
import io.dbwire.daemon.trust.MirrorFilter;
import io.dbwire.daemon.clock.MicrosClock;
import io.dbwire.daemon.http.HttpHandler;
import io.dbwire.daemon.http.HttpLimits;
import io.dbwire.daemon.http.LimitedHttpServer;
import io.dbwire.daemon.http.Reply;
import io.dbwire.daemon.http.Request;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /keys} for key forwarders, on a {@link LimitedHttpServer}: a body of NSS key log lines, authorised by
 * {@code Authorization: Bearer <token>} ({@link KeyListenerToken}), goes line by line into the shared
 * {@link KeyLogStore}, dated with the daemon's clock so the lines expire after {@code tls.key_ttl} like the
 * directory's. Plain HTTP: docs/tls.md says to bind it privately or front it with TLS.
 *
 * <p>Answers: 200 {@code {"added":N,"ignored":M,"too_long":K}}; 401 for a missing or wrong token (the body is not
 * read); 413 for a body over {@link #MAX_BODY}; 405 for another method; 404 for another path. The client address,
 * path, method and token are checked on the request head, before any body byte is kept. Limits as /health's (read
 * timeout, connection limit, one thread) with bodies up to {@link #MAX_BODY} and {@link #MAX_BUFFERED} bytes of
 * bodies held at once across connections (beyond: 503, counted by the server). Lines and tokens are never logged
 * or echoed; every outcome is counted.
 */
public final class KeyListener implements AutoCloseable, HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(KeyListener.class);
    static final String PATH = "/keys";
    static final int MAX_BODY = 1 << 20;
    /** Four whole bodies in flight at once. */
    static final long MAX_BUFFERED = 4L * MAX_BODY;
    static final HttpLimits LIMITS = new HttpLimits(HttpLimits.POLLED.maxConnections(),
            HttpLimits.POLLED.readTimeoutSeconds(), MAX_BODY, MAX_BUFFERED);
    /** The same bound as the directory's: NSS lines are under 300 bytes. */
    static final int MAX_LINE = KeyLogDirectory.MAX_LINE;
    private static final String BEARER = "bearer ";

    private LimitedHttpServer server;
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

    private KeyListener(KeyLogStore store, KeyListenerToken token, MicrosClock clock, MirrorFilter clients) {
        this.clients = clients;
        this.store = store;
        this.token = token;
        this.clock = clock;
    }

    public static KeyListener start(String address, int port, KeyListenerToken token, KeyLogStore store,
            MicrosClock clock) throws IOException {
        return start(address, port, token, store, clock, MirrorFilter.OPEN);
    }

    /** @param clients the addresses allowed to send keys (tls.key_listener.allowed_clients); others get 403 */
    public static KeyListener start(String address, int port, KeyListenerToken token, KeyLogStore store,
            MicrosClock clock, MirrorFilter clients) throws IOException {
        KeyListener l = new KeyListener(store, token, clock, clients);
        l.server = LimitedHttpServer.start(address, port, "dbwire-keys", LIMITS, l);
        return l;
    }

    public InetSocketAddress address() {
        return server.address();
    }

    public Stats stats() {
        return new Stats(accepted.sum(), refused.sum(), tooLarge.sum(), badRequests.sum(), linesAdded.sum(),
                linesIgnored.sum(), linesTooLong.sum(), forbidden.sum());
    }

    /** The server, for its connection counters. */
    public LimitedHttpServer http() {
        return server;
    }

    @Override
    public Reply onHead(Request req) {
        if (!clients.allowsSource(req.remote())) {
            forbidden.increment(); // checked before anything of the request is read or answered
            return Reply.text(403, "text/plain", "forbidden\n");
        }
        if (!PATH.equals(req.path())) {
            badRequests.increment();
            return Reply.text(404, "text/plain", "not found\n");
        }
        if (!"POST".equals(req.method())) {
            badRequests.increment();
            return Reply.text(405, "text/plain", "method not allowed\n").header("Allow", "POST");
        }
        if (!token.matches(presentedToken(req.headers().get(HttpHeaderNames.AUTHORIZATION)))) {
            refused.increment();
            long n = refused.sum();
            if (Long.bitCount(n) == 1) {
                // 1st, 2nd, 4th, 8th...: an operator sees a misconfigured forwarder without a log flood.
                LOG.warn("key listener: refused a request from {} (missing or wrong token); {} refused so far",
                        req.remote().getHostAddress(), n);
            }
            return Reply.text(401, "text/plain", "unauthorized\n").header("WWW-Authenticate", "Bearer");
        }
        return null;
    }

    @Override
    public Reply tooLarge(Request head, int maxBodyBytes) {
        tooLarge.increment();
        return Reply.text(413, "text/plain", "body over " + MAX_BODY + " bytes\n");
    }

    @Override
    public Reply handle(Request req) {
        accepted.increment();
        return Reply.text(200, "application/json", addLines(req.body()));
    }

    /** The token's bytes as sent (headers arrive as ISO-8859-1, which gives the bytes back), or null. */
    private static byte[] presentedToken(String h) {
        if (h == null || h.length() <= BEARER.length() || !h.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return h.substring(BEARER.length()).strip().getBytes(StandardCharsets.ISO_8859_1);
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

    @Override
    public void close() {
        server.close();
        Stats s = stats();
        LOG.info("key listener: {} requests accepted, {} refused (token), {} bodies too large, {} bad requests; "
                        + "lines {} added, {} ignored, {} too long",
                s.accepted(), s.refused(), s.bodiesTooLarge(), s.badRequests(), s.linesAdded(), s.linesIgnored(),
                s.linesTooLong());
    }
}
