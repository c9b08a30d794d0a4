package io.dbwire.core.record;

import com.fasterxml.jackson.core.JsonGenerator;
import io.dbwire.core.util.Timestamps;
import java.io.IOException;
import java.util.Map;

/** The {@code tls} block of the record JSON (docs/records.md): null on every kind but {@code tls}. */
final class TlsJson {
    private TlsJson() {}

    static void write(JsonGenerator g, TlsInfo t) throws IOException {
        if (t == null) {
            g.writeNullField("tls");
            return;
        }
        g.writeObjectFieldStart("tls");
        g.writeStringField("version", t.version());
        g.writeStringField("cipher", t.cipher());
        g.writeStringField("sni", t.sni());
        g.writeArrayFieldStart("alpn");
        for (String a : t.alpn()) {
            g.writeString(a);
        }
        g.writeEndArray();
        g.writeStringField("alpn_selected", t.alpnSelected());
        g.writeStringField("ja3", t.ja3());
        g.writeStringField("ja3_hash", t.ja3Hash());
        g.writeStringField("ja4", t.ja4());
        if (t.certificate() == null) {
            g.writeNullField("certificate");
        } else {
            g.writeObjectFieldStart("certificate");
            g.writeStringField("subject", t.certificate().subject());
            g.writeStringField("issuer", t.certificate().issuer());
            g.writeStringField("not_after", Timestamps.formatMicros(t.certificate().notAfterMicros()));
            g.writeEndObject();
        }
        RecordJson.writeNullableNumber(g, "handshake_us", t.handshakeUs() < 0 ? null : t.handshakeUs());
        writeFlow(g, "client", t.client());
        writeFlow(g, "server", t.server());
        TlsInfo.Turns u = t.turns();
        g.writeObjectFieldStart("turns");
        g.writeNumberField("count", u.count());
        g.writeNumberField("request_bytes", u.requestBytes());
        g.writeNumberField("response_bytes", u.responseBytes());
        g.writeNumberField("max_request_bytes", u.maxRequestBytes());
        g.writeNumberField("max_response_bytes", u.maxResponseBytes());
        g.writeNumberField("sum_latency_us", u.sumLatencyUs());
        RecordJson.writeNullableNumber(g, "max_latency_us", u.maxLatencyUs() < 0 ? null : u.maxLatencyUs());
        g.writeNumberField("unanswered_server_bursts", u.unansweredServerBursts());
        g.writeEndObject();
        g.writeBooleanField("decrypted", t.decrypted());
        writeCounts(g, "decrypt_outcomes", t.decryptOutcomes());
        writeCounts(g, "violations", t.violations());
        g.writeEndObject();
    }

    private static void writeFlow(JsonGenerator g, String name, TlsInfo.Flow f) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeNumberField("bytes", f.bytes());
        g.writeNumberField("records", f.records());
        g.writeEndObject();
    }

    private static void writeCounts(JsonGenerator g, String name, Map<String, Long> counts) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }
}
