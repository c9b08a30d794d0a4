package io.dbwire.daemon.metrics;

import io.dbwire.daemon.health.Health;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * {@code GET /health}, {@code GET /status} and {@code GET /metrics} on an {@link HttpEndpoint}: non-blocking, with
 * read timeouts and a connection limit, so slow or many clients cannot keep a load balancer's health check waiting.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpEndpoint http;

    private MetricsServer(HttpEndpoint http) {
        this.http = http;
    }

    public static MetricsServer start(String address, int port, MetricsSource source) throws IOException {
        return new MetricsServer(HttpEndpoint.start(address, port, "dbwire-http", path -> route(path, source)));
    }

    private static HttpEndpoint.Response route(String path, MetricsSource source) {
        switch (path) {
            case "/health":
                return health(source);
            case "/status":
                return new HttpEndpoint.Response(200, "application/json",
                        StatusJson.render(source, source.nowMicros()));
            case "/metrics":
                return new HttpEndpoint.Response(200, PrometheusText.CONTENT_TYPE, metrics(source));
            default:
                return null;
        }
    }

    public InetSocketAddress address() {
        return http.address();
    }

    /** Connections refused at the limit and closed for idling, for /metrics. */
    public HttpEndpoint endpoint() {
        return http;
    }

    private static HttpEndpoint.Response health(MetricsSource source) {
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
        return new HttpEndpoint.Response(ok ? 200 : 503, "application/json", body);
    }

    private static String jsonEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String metrics(MetricsSource source) {
        return PrometheusText.render(source.sensorStats(), source.counters(), source.queueDepth())
                + PrometheusText.keyListener(source.keyListenerStats())
                + PrometheusText.kafka(source.kafkaStats())
                + PrometheusText.syslog(source.syslogStats())
                + PrometheusText.console(source.console())
                + PrometheusText.http(source.httpServers())
                + PrometheusText.outputs(source.outputs())
                + PrometheusText.alertSpool(source.alertSpool())
                + PrometheusText.coverage(source)
                + PrometheusText.buildInfo(BuildInfo.version(), BuildInfo.commit())
                + JvmMetricsText.render();
    }

    @Override
    public void close() {
        http.close();
    }
}
