package io.dbwire.core.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.dbwire.core.util.Timestamps;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The JSON line form of a {@link TransactionRecord} (docs/records.md). Field order and names are a contract:
 * add fields, never rename or drop one. Every block is always present, as {@code null} when it does not apply,
 * so that consumers can rely on the keys; the exceptions are {@code gaps}, written only on a record a hole in
 * the mirrored stream cut short, and {@code statement.text_unknown}, written only on a statement whose text was
 * never seen (so records of a clean capture are as they always were).
 */
public final class RecordJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private RecordJson() {}

    public static String toJson(TransactionRecord r) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(r, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static void write(TransactionRecord r, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("ts", Timestamps.formatMicros(r.tsMicros()));
        g.writeStringField("kind", r.kind().json());
        g.writeStringField("protocol", r.protocol());
        g.writeNumberField("connection_id", r.connectionId());
        if (r.vni() >= 0) {
            g.writeNumberField("vni", r.vni());
        } else {
            g.writeNullField("vni");
        }
        writeEndpoint(g, "client", r.client());
        writeEndpoint(g, "server", r.server());
        writeSession(g, r.session());
        writeStatement(g, r.statement());
        writeRequest(g, r.request());
        writeResponse(g, r.response());
        g.writeStringField("status", r.status().json());
        writeError(g, r.error());
        TlsJson.write(g, r.tls());
        writeGaps(g, r.gaps());
        g.writeEndObject();
    }

    private static void writeGaps(JsonGenerator g, GapInfo gaps) throws IOException {
        if (gaps == null) {
            return;
        }
        g.writeObjectFieldStart("gaps");
        g.writeNumberField("client_bytes", gaps.clientBytes());
        g.writeNumberField("server_bytes", gaps.serverBytes());
        g.writeEndObject();
    }

    private static void writeEndpoint(JsonGenerator g, String name, Endpoint e) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeStringField("ip", e.ip());
        g.writeNumberField("port", e.port());
        g.writeEndObject();
    }

    private static void writeSession(JsonGenerator g, SessionInfo s) throws IOException {
        g.writeObjectFieldStart("session");
        g.writeStringField("user", s.user());
        g.writeStringField("database", s.database());
        g.writeStringField("application", s.application());
        g.writeBooleanField("tls", s.tls());
        g.writeBooleanField("mid_stream", s.midStream());
        g.writeBooleanField("decrypted", s.decrypted());
        g.writeStringField("auth_method", s.authMethod());
        g.writeStringField("protocol_version", s.protocolVersion());
        g.writeStringField("client_tool", s.clientTool());
        writeStringMap(g, "attributes", s.attributes());
        g.writeEndObject();
    }

    private static void writeStatement(JsonGenerator g, StatementInfo s) throws IOException {
        if (s == null) {
            g.writeNullField("statement");
            return;
        }
        g.writeObjectFieldStart("statement");
        g.writeStringField("text", s.text());
        g.writeStringField("fingerprint", s.fingerprint());
        g.writeStringField("operation", s.operation());
        StatementAttribution a = s.attribution();
        writeStringMap(g, "tags", a == null || a.tags().isEmpty() ? null : a.tags());
        g.writeStringField("trace_id", a == null ? null : a.traceId());
        g.writeStringField("span_id", a == null ? null : a.spanId());
        if (s.textUnknown() != null) { // only on a statement whose text is unknown: other records keep their shape
            g.writeStringField("text_unknown", s.textUnknown());
        }
        g.writeEndObject();
    }

    private static void writeRequest(JsonGenerator g, RequestInfo r) throws IOException {
        if (r == null) {
            g.writeNullField("request");
            return;
        }
        g.writeObjectFieldStart("request");
        g.writeNumberField("bytes", r.bytes());
        g.writeEndObject();
    }

    private static void writeResponse(JsonGenerator g, ResponseInfo r) throws IOException {
        if (r == null) {
            g.writeNullField("response");
            return;
        }
        g.writeObjectFieldStart("response");
        writeNullableNumber(g, "rows", r.rows());
        writeNullableNumber(g, "rows_affected", r.rowsAffected());
        g.writeNumberField("bytes", r.bytes());
        writeNullableNumber(g, "server_us", r.serverUs());
        writeNullableNumber(g, "duration_us", r.durationUs());
        g.writeStringField("command_tag", r.commandTag());
        g.writeStringField("transaction", r.transaction());
        writeSensitive(g, r.sensitive());
        g.writeEndObject();
    }

    private static void writeStringMap(JsonGenerator g, String name, java.util.Map<String, String> m)
            throws IOException {
        if (m == null) {
            g.writeNullField(name);
            return;
        }
        g.writeObjectFieldStart(name);
        for (java.util.Map.Entry<String, String> e : m.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static void writeSensitive(JsonGenerator g, SensitiveCounts s) throws IOException {
        if (s == null) {
            g.writeNullField("sensitive");
            return;
        }
        g.writeObjectFieldStart("sensitive");
        g.writeNumberField("card", s.card());
        g.writeNumberField("national_id", s.nationalId());
        g.writeNumberField("email", s.email());
        g.writeNumberField("rows_cut", s.rowsCut());
        g.writeNumberField("rows_skipped", s.rowsSkipped());
        g.writeArrayFieldStart("columns");
        for (SensitiveCounts.Column c : s.columns()) {
            g.writeStartObject();
            g.writeNumberField("index", c.index());
            g.writeNumberField("card", c.card());
            g.writeNumberField("national_id", c.nationalId());
            g.writeNumberField("email", c.email());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeError(JsonGenerator g, ErrorInfo e) throws IOException {
        if (e == null) {
            g.writeNullField("error");
            return;
        }
        g.writeObjectFieldStart("error");
        g.writeStringField("code", e.code());
        g.writeStringField("message", e.message());
        g.writeEndObject();
    }

    static void writeNullableNumber(JsonGenerator g, String name, Long value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, value);
        }
    }
}
