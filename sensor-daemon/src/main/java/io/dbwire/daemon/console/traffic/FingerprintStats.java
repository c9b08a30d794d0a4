package io.dbwire.daemon.console.traffic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;

/** What {@code pg_stat_statements} keeps for one normalised statement, taken from the wire. */
final class FingerprintStats {
    /** Statement text kept per fingerprint; the record's text is already normalised and bounded. */
    static final int MAX_TEXT_CHARS = 400;

    private final String text;
    private final String operation;
    private final LatencyHistogram latency = new LatencyHistogram(2);
    private long count;
    private long errors;
    private long rows;
    private long totalMicros;
    private long first = Long.MAX_VALUE;
    private long last = Long.MIN_VALUE;

    FingerprintStats(String text, String operation) {
        this.text = text == null || text.length() <= MAX_TEXT_CHARS ? text : text.substring(0, MAX_TEXT_CHARS) + "…";
        this.operation = operation;
    }

    void observe(TransactionRecord r) {
        count++;
        errors += r.status() == RecordStatus.ERROR ? 1 : 0;
        if (r.response() != null) {
            rows += r.response().rows() != null ? r.response().rows()
                    : r.response().rowsAffected() != null ? r.response().rowsAffected() : 0;
        }
        long micros = Traffic.latencyMicros(r);
        if (micros >= 0) {
            totalMicros += micros;
            latency.add(micros);
        }
        first = Math.min(first, r.tsMicros());
        last = Math.max(last, r.tsMicros());
    }

    long count() {
        return count;
    }

    long totalMicros() {
        return totalMicros;
    }

    void writeTo(ObjectNode o) {
        o.put("text", text);
        o.put("operation", operation);
        o.put("count", count);
        o.put("errors", errors);
        o.put("rows", rows);
        o.put("total_us", totalMicros);
        o.put("mean_us", count == 0 ? 0 : totalMicros / count);
        o.put("p95_us", latency.quantile(0.95));
        o.put("first_seen_us", first);
        o.put("last_seen_us", last);
    }
}
