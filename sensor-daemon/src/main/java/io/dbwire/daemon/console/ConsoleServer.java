package io.dbwire.daemon.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dbwire.daemon.tls.KeyListenerToken;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The web console of {@code run}, on the JDK's HTTP server with one thread: the UI's three files and
 * {@code GET /api/snapshot}, the JSON every view renders from (docs/console.md). Read-only: GET and HEAD only.
 * When a token is configured every request must carry it ({@link ConsoleAuth}); refusals are counted.
 */
public final class ConsoleServer implements AutoCloseable {
    static final String SNAPSHOT = "/api/snapshot";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Scripts, styles and data from this origin only; no frames; the token never leaves in a Referer. */
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private final HttpServer server;
    private final ExecutorService executor;
    private final ConsoleAuth auth;
    private final Supplier<ObjectNode> snapshot;
    private final Map<String, Resource> files;
    private final LongAdder refused = new LongAdder();

    private record Resource(String type, byte[] body) {}

    private ConsoleServer(HttpServer server, ConsoleAuth auth, Supplier<ObjectNode> snapshot) {
        this.server = server;
        this.auth = auth;
        this.snapshot = snapshot;
        this.files = Map.of(
                "/", new Resource("text/html; charset=utf-8", utf8(ConsoleUi.html()
                        .replace("<!--STYLE-->", "<link rel=\"stylesheet\" href=\"app.css\">")
                        .replace("<!--SCRIPT-->", "<script src=\"app.js\"></script>"))),
                "/app.css", new Resource("text/css; charset=utf-8", utf8(ConsoleUi.css())),
                "/app.js", new Resource("text/javascript; charset=utf-8", utf8(ConsoleUi.js())));
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dbwire-console");
            t.setDaemon(true);
            return t;
        });
    }

    /** @param token null to serve without authentication (the config allows that on loopback only) */
    public static ConsoleServer start(String address, int port, KeyListenerToken token, Supplier<ObjectNode> snapshot)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 16);
        ConsoleServer c = new ConsoleServer(server, new ConsoleAuth(token), snapshot);
        server.createContext("/", c::handle);
        server.setExecutor(c.executor);
        server.start();
        return c;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Requests turned away for a missing or wrong token. */
    public long refused() {
        return refused.sum();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain; charset=utf-8", utf8("read-only: GET and HEAD only\n"));
                return;
            }
            String path = ex.getRequestURI().getPath();
            String presented = ConsoleAuth.queryToken(ex.getRequestURI());
            if (auth.required() && "/".equals(path) && auth.matches(presented)) {
                // Trade the token in the address for a cookie, and drop it from the address bar and history.
                ex.getResponseHeaders().add("Set-Cookie", ConsoleAuth.COOKIE + "="
                        + URLEncoder.encode(presented, StandardCharsets.UTF_8) + "; Path=/; HttpOnly; SameSite=Strict");
                ex.getResponseHeaders().set("Location", "/");
                send(ex, 303, "text/plain; charset=utf-8", utf8("see /\n"));
                return;
            }
            if (!auth.allows(ex.getRequestHeaders())) {
                refused.increment();
                ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"dbwire console\", charset=\"UTF-8\"");
                send(ex, 401, "text/plain; charset=utf-8",
                        utf8("dbwire console: a token is required (console.token_file)\n"));
                return;
            }
            if (SNAPSHOT.equals(path)) {
                send(ex, 200, "application/json", snapshotBytes());
                return;
            }
            Resource r = files.get(path.equals("/index.html") ? "/" : path);
            if (r == null) {
                send(ex, 404, "text/plain; charset=utf-8", utf8("not found\n"));
                return;
            }
            send(ex, 200, r.type(), r.body());
        }
    }

    private byte[] snapshotBytes() throws JsonProcessingException {
        return JSON.writeValueAsBytes(snapshot.get());
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("Cache-Control", "no-store");
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
