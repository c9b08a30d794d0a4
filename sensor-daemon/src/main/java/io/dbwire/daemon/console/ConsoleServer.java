package io.dbwire.daemon.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbwire.daemon.http.HttpHandler;
import io.dbwire.daemon.http.HttpLimits;
import io.dbwire.daemon.http.LimitedHttpServer;
import io.dbwire.daemon.http.Reply;
import io.dbwire.daemon.http.Request;
import io.dbwire.daemon.tls.KeyListenerToken;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The web console of {@code run}: the UI's three files and {@code GET /api/snapshot}, the JSON every view renders
 * from (docs/console.md). Read-only: GET and HEAD only. When a token is configured every request must carry it
 * ({@link ConsoleAuth}); refusals are counted. Served by a {@link LimitedHttpServer} with the limits of /health
 * ({@link HttpLimits#POLLED}: read timeout, connection limit, bounded requests, one thread), so a slow or idle
 * browser tab holds no thread.
 */
public final class ConsoleServer implements AutoCloseable, HttpHandler {
    static final String SNAPSHOT = "/api/snapshot";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Scripts, styles and data from this origin only; no frames; the token never leaves in a Referer. */
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final ConsoleAuth auth;
    private final Supplier<ObjectNode> snapshot;
    private final Map<String, Resource> files;
    private final LongAdder refused = new LongAdder();
    private LimitedHttpServer server;

    private record Resource(String type, byte[] body) {}

    private ConsoleServer(ConsoleAuth auth, Supplier<ObjectNode> snapshot) {
        this.auth = auth;
        this.snapshot = snapshot;
        this.files = Map.of(
                "/", new Resource("text/html; charset=utf-8", utf8(ConsoleUi.html()
                        .replace("<!--STYLE-->", "<link rel=\"stylesheet\" href=\"app.css\">")
                        .replace("<!--SCRIPT-->", "<script src=\"app.js\"></script>"))),
                "/app.css", new Resource("text/css; charset=utf-8", utf8(ConsoleUi.css())),
                "/app.js", new Resource("text/javascript; charset=utf-8", utf8(ConsoleUi.js())));
    }

    /** @param token null to serve without authentication (the config allows that on loopback only) */
    public static ConsoleServer start(String address, int port, KeyListenerToken token, Supplier<ObjectNode> snapshot)
            throws IOException {
        ConsoleServer c = new ConsoleServer(new ConsoleAuth(token), snapshot);
        c.server = LimitedHttpServer.start(address, port, "dbwire-console", HttpLimits.POLLED, c);
        return c;
    }

    public InetSocketAddress address() {
        return server.address();
    }

    /** Requests turned away for a missing or wrong token. */
    public long refused() {
        return refused.sum();
    }

    /** The server, for its connection counters. */
    public LimitedHttpServer http() {
        return server;
    }

    @Override
    public Reply onHead(Request req) {
        if (!"GET".equals(req.method()) && !"HEAD".equals(req.method())) {
            return secured(Reply.text(405, TEXT, "read-only: GET and HEAD only\n").header("Allow", "GET, HEAD"));
        }
        String presented = ConsoleAuth.queryToken(req.rawQuery());
        if (auth.required() && "/".equals(req.path()) && auth.matches(presented)) {
            // Trade the token in the address for a cookie, and drop it from the address bar and history.
            return secured(Reply.text(303, TEXT, "see /\n")
                    .header("Set-Cookie", ConsoleAuth.COOKIE + "=" + URLEncoder.encode(presented, StandardCharsets.UTF_8)
                            + "; Path=/; HttpOnly; SameSite=Strict")
                    .header("Location", "/"));
        }
        if (!auth.allows(req.headers().get(HttpHeaderNames.AUTHORIZATION),
                req.headers().getAll(HttpHeaderNames.COOKIE))) {
            refused.increment();
            return secured(Reply.text(401, TEXT, "dbwire console: a token is required (console.token_file)\n")
                    .header("WWW-Authenticate", "Basic realm=\"dbwire console\", charset=\"UTF-8\""));
        }
        return null;
    }

    @Override
    public Reply handle(Request req) throws Exception {
        String path = req.path();
        if (SNAPSHOT.equals(path)) {
            return secured(new Reply(200, "application/json", JSON.writeValueAsBytes(snapshot.get())));
        }
        Resource r = files.get(path.equals("/index.html") ? "/" : path);
        if (r == null) {
            return secured(Reply.text(404, TEXT, "not found\n"));
        }
        return secured(new Reply(200, r.type(), r.body()));
    }

    private static Reply secured(Reply r) {
        return r.header("Cache-Control", "no-store")
                .header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.close();
    }
}
