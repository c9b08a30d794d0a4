package io.dbwire.daemon.sink.format;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbwire.core.detect.alert.Explanation;
import io.dbwire.core.util.Timestamps;
import java.util.ArrayList;
import java.util.List;

/**
 * An alert's explanation ({@code rule}, {@code learnt_for}, {@code samples}, {@code evidence_records}) for the SIEM
 * renderings, with the keys and units of the alert JSON: learnt_for in seconds, unknown values left out.
 */
final class AlertExplanation {
    private AlertExplanation() {}

    /** Adds the explanation's keys to {@code n} (the renderer's dbwire object). */
    static void putInto(ObjectNode n, Explanation e) {
        Json.put(n, "rule", e.rule());
        if (e.learntForMicros() >= 0) {
            n.put("learnt_for", learntForSeconds(e));
        }
        Json.put(n, "samples", e.samples() < 0 ? null : e.samples());
        ArrayNode records = Json.MAPPER.createArrayNode();
        for (Explanation.EvidenceRecord r : e.records()) {
            ObjectNode o = records.addObject();
            o.put("ts", Timestamps.formatMicros(r.tsMicros()));
            o.put("connection_id", r.connectionId());
            Json.put(o, "record_kind", r.kind());
            Json.put(o, "fingerprint", r.fingerprint());
        }
        n.set("evidence_records", records);
    }

    /** Seconds, rounded to the millisecond as in the alert JSON. */
    static double learntForSeconds(Explanation e) {
        return Math.round(e.learntForMicros() / 1000.0) / 1000.0;
    }

    /** The evidence records as one line each: {@code ts connection_id record_kind [fingerprint]}. */
    static List<String> recordLines(Explanation e) {
        List<String> out = new ArrayList<>(e.records().size());
        for (Explanation.EvidenceRecord r : e.records()) {
            out.add(Timestamps.formatMicros(r.tsMicros()) + " " + r.connectionId() + " " + r.kind()
                    + (r.fingerprint() == null ? "" : " " + r.fingerprint()));
        }
        return out;
    }
}
