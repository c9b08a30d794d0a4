package io.dbwire.daemon.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dbwire.daemon.health.Health;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** {@code GET /health}, {@code GET /status} and {@code GET /metrics} on the JDK's HTTP server, one thread: scrapes are rare. */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static MetricsServer start(String address, int port, MetricsSource source) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 16);
        server.createContext("/health", ex -> health(ex, source));
        server.createContext("/metrics", ex -> metrics(ex, source));
        server.createContext("/status", ex -> status(ex, source));
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dbwire-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        return new MetricsServer(server, executor);
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static void health(HttpExchange ex, MetricsSource source) throws IOException {
        if (!allowGet(ex)) {
            return;
        }
        boolean alive = source.healthy();
        Health h = source.health();
        boolean ok = alive && h.ok();
        StringBuilder reasons = new StringBuilder();
        for (String r : h.reasons()) {
            reasons.append(reasons.length() == 0 ? "\"" : ",\"").append(jsonEscape(r)).append('"');
        }
        String body = "{\"status\":\"" + (!alive ? "failing" : ok ? "ok" : "degraded") + "\",\"uptime_seconds\":"
                + source.uptimeSeconds()
                + ",\"datagrams_received\":" + source.counters().datagrams()
                + ",\"queue_depth\":" + source.queueDepth() + ",\"reasons\":[" + reasons + "]}\n";
        send(ex, ok ? 200 : 503, "application/json", body);
    }

    private static String jsonEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static void status(HttpExchange ex, MetricsSource source) throws IOException {
        if (!allowGet(ex)) {
            return;
        }
        send(ex, 200, "application/json", StatusJson.render(source, source.nowMicros()));
    }

    private static void metrics(HttpExchange ex, MetricsSource source) throws IOException {
        if (!allowGet(ex)) {
            return;
        }
        String body = PrometheusText.render(source.sensorStats(), source.counters(), source.queueDepth())
                + PrometheusText.keyListener(source.keyListenerStats())
                + PrometheusText.kafka(source.kafkaStats())
                + PrometheusText.syslog(source.syslogStats())
                + PrometheusText.console(source.console())
                + PrometheusText.outputs(source.outputs())
                + PrometheusText.coverage(source)
                + PrometheusText.buildInfo(BuildInfo.version(), BuildInfo.commit())
                + JvmMetricsText.render();
        send(ex, 200, PrometheusText.CONTENT_TYPE, body);
    }

    private static boolean allowGet(HttpExchange ex) throws IOException {
        if ("GET".equals(ex.getRequestMethod()) || "HEAD".equals(ex.getRequestMethod())) {
            return true;
        }
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        send(ex, 405, "text/plain", "method not allowed\n");
        return false;
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
