package io.dbwire.core.detect.alert;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.dbwire.core.record.Endpoint;
import io.dbwire.core.util.Timestamps;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The JSON line form of an {@link Alert} (docs/alerts.md). Key order and names are a contract: add keys, never
 * rename or drop one. Every key is always present, {@code null} when unknown.
 */
public final class AlertJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    /** Doubles with no fraction up to this size are written as integers ({@code 60}, not {@code 60.0}). */
    private static final double MAX_EXACT_INTEGER = 9.007199254740992E15; // 2^53

    private AlertJson() {}

    public static String toJson(Alert a) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(a, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static void write(Alert a, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("ts", Timestamps.formatMicros(a.tsMicros()));
        g.writeStringField("id", a.id());
        g.writeStringField("detection", a.detection());
        g.writeStringField("severity", a.severity() == null ? null : a.severity().json());
        g.writeFieldName("score");
        writeNumber(g, a.score());
        g.writeStringField("mitre", a.mitre());
        g.writeStringField("summary", a.summary());
        if (a.clientIp() == null) {
            g.writeNullField("client");
        } else {
            g.writeObjectFieldStart("client");
            g.writeStringField("ip", a.clientIp());
            g.writeEndObject();
        }
        writeServer(g, a.server());
        g.writeStringField("user", a.user());
        g.writeStringField("database", a.database());
        g.writeObjectFieldStart("window");
        g.writeStringField("start", Timestamps.formatMicros(a.windowStartMicros()));
        g.writeStringField("end", Timestamps.formatMicros(a.windowEndMicros()));
        g.writeEndObject();
        writeMap(g, "observed", a.observed());
        writeMap(g, "baseline", a.baseline());
        writeEvidence(g, a.evidence());
        g.writeNumberField("folded", a.folded());
        writeExplanation(g, a.explanation());
        g.writeEndObject();
    }

    /** {@code rule}, {@code learnt_for} (seconds), {@code samples}, {@code evidence_records}: null when unknown. */
    private static void writeExplanation(JsonGenerator g, Explanation e) throws IOException {
        g.writeStringField("rule", e.rule());
        g.writeFieldName("learnt_for");
        if (e.learntForMicros() < 0) {
            g.writeNull();
        } else {
            writeNumber(g, Math.round(e.learntForMicros() / 1000.0) / 1000.0);
        }
        g.writeFieldName("samples");
        if (e.samples() < 0) {
            g.writeNull();
        } else {
            g.writeNumber(e.samples());
        }
        g.writeArrayFieldStart("evidence_records");
        for (Explanation.EvidenceRecord r : e.records()) {
            g.writeStartObject();
            g.writeStringField("ts", Timestamps.formatMicros(r.tsMicros()));
            g.writeNumberField("connection_id", r.connectionId());
            g.writeStringField("record_kind", r.kind());
            g.writeStringField("fingerprint", r.fingerprint());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeServer(JsonGenerator g, Endpoint s) throws IOException {
        if (s == null) {
            g.writeNullField("server");
            return;
        }
        g.writeObjectFieldStart("server");
        g.writeStringField("ip", s.ip());
        g.writeNumberField("port", s.port());
        g.writeEndObject();
    }

    private static void writeMap(JsonGenerator g, String name, Map<String, Object> map) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, Object> e : map.entrySet()) {
            g.writeFieldName(e.getKey());
            writeValue(g, e.getValue());
        }
        g.writeEndObject();
    }

    private static void writeEvidence(JsonGenerator g, List<String> evidence) throws IOException {
        g.writeArrayFieldStart("evidence");
        for (String s : evidence) {
            g.writeString(s);
        }
        g.writeEndArray();
    }

    /** Observed/baseline values are numbers, booleans, strings or null; anything else is written as its text. */
    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Double || v instanceof Float) {
            writeNumber(g, ((Number) v).doubleValue());
        } else if (v instanceof Number) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Boolean) {
            g.writeBoolean((Boolean) v);
        } else {
            g.writeString(v.toString());
        }
    }

    /** Integral doubles as integers; NaN and infinities (not JSON) as null. */
    private static void writeNumber(JsonGenerator g, double d) throws IOException {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            g.writeNull();
        } else if (d == Math.rint(d) && Math.abs(d) < MAX_EXACT_INTEGER) {
            g.writeNumber((long) d);
        } else {
            g.writeNumber(d);
        }
    }
}
