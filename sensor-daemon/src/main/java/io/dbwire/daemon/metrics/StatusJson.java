package io.dbwire.daemon.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.dbwire.daemon.health.Activity;
import io.dbwire.daemon.health.Health;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /status}: the health verdict and every tracked mirror source and server with its last packet (or
 * record) time and its rates, as one JSON object (docs/metrics.md).
 */
final class StatusJson {
    private static final JsonFactory JSON = new JsonFactory();

    private StatusJson() {}

    static String render(MetricsSource source, long nowMicros) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            Health h = source.health();
            boolean ok = source.healthy() && h.ok();
            g.writeStartObject();
            g.writeStringField("status", !source.healthy() ? "failing" : ok ? "ok" : "degraded");
            g.writeArrayFieldStart("reasons");
            for (String r : h.reasons()) {
                g.writeString(r);
            }
            g.writeEndArray();
            g.writeStringField("now", iso(nowMicros));
            g.writeNumberField("uptime_seconds", source.uptimeSeconds());
            List<Activity> all = source.activities();
            writeList(g, "sources", all, "source", "packets", source, nowMicros);
            writeList(g, "servers", all, "server", "records", source, nowMicros);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out + "\n";
    }

    private static void writeList(JsonGenerator g, String name, List<Activity> all, String kind, String countName,
            MetricsSource source, long nowMicros) throws IOException {
        g.writeArrayFieldStart(name);
        for (Activity a : all) {
            if (!kind.equals(a.kind())) {
                continue;
            }
            g.writeStartObject();
            for (Map.Entry<String, String> l : a.labels().entrySet()) {
                g.writeStringField(l.getKey(), l.getValue());
            }
            g.writeNumberField(countName, a.count());
            if ("source".equals(kind)) {
                g.writeNumberField("bytes", a.bytes());
            }
            g.writeStringField("first_seen", iso(a.firstMicros()));
            g.writeStringField("last_seen", iso(a.lastMicros()));
            g.writeNumberField("seconds_since_last", Math.max(0, nowMicros - a.lastMicros()) / 1_000_000);
            double span = (a.lastMicros() - a.firstMicros()) / 1e6;
            g.writeNumberField(countName + "_per_second", span > 0 ? Math.round(a.count() / span * 100) / 100.0 : 0);
            g.writeBooleanField("silent", source.silent(a));
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static String iso(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L)
                .toString();
    }
}
