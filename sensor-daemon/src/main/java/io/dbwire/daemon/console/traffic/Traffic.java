package io.dbwire.daemon.console.traffic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TlsInfo;
import io.dbwire.core.record.TransactionRecord;

/**
 * The traffic of one mirror source or one server: totals, a latency histogram, and series over the last hour (by
 * minute) and day (by quarter hour). Fixed size once built (about 50 KiB).
 *
 * <p>Bytes: {@code in} is client to server, {@code out} server to client. A TLS session read without keys counts
 * its whole stream (from its {@code tls} record) as TLS; one read with keys counts its statements' bytes as
 * decrypted; everything else is clear.
 */
final class Traffic {
    static final long MINUTE_MICROS = 60_000_000L;
    static final long QUARTER_MICROS = 15 * MINUTE_MICROS;
    /** Statements per second are averaged over up to this much of the most recent traffic. */
    static final long RATE_WINDOW_MICROS = 5 * MINUTE_MICROS;

    private final TimeSeries hour = new TimeSeries(MINUTE_MICROS, 60);
    private final TimeSeries day = new TimeSeries(QUARTER_MICROS, 96);
    private final LatencyHistogram latency = new LatencyHistogram(4);
    private long connections;
    private long statements;
    private long errors;
    private long incomplete;
    private long logins;
    private long loginFailures;
    private long tlsSessions;
    private long bytesIn;
    private long bytesOut;
    private long clearBytes;
    private long tlsBytes;
    private long decryptedBytes;
    private long firstMicros = Long.MAX_VALUE;
    private long lastMicros = Long.MIN_VALUE;

    void connectionOpened() {
        connections++;
    }

    void observe(TransactionRecord r) {
        long ts = r.tsMicros();
        firstMicros = Math.min(firstMicros, ts);
        lastMicros = Math.max(lastMicros, ts);
        long in = 0;
        long out = 0;
        boolean statement = r.kind() == RecordKind.STATEMENT;
        boolean error = statement && r.status() == RecordStatus.ERROR;
        if (r.kind() == RecordKind.TLS) {
            tlsSessions++;
            TlsInfo t = r.tls();
            if (t != null && !t.decrypted()) {
                in = t.client() == null ? 0 : t.client().bytes();
                out = t.server() == null ? 0 : t.server().bytes();
                tlsBytes += in + out;
            }
        } else {
            in = r.request() == null ? 0 : r.request().bytes();
            out = r.response() == null ? 0 : r.response().bytes();
            if (r.session().decrypted()) {
                decryptedBytes += in + out;
            } else {
                clearBytes += in + out;
            }
        }
        bytesIn += in;
        bytesOut += out;
        if (r.kind() == RecordKind.LOGIN) {
            logins++;
            if (r.status() == RecordStatus.ERROR) {
                loginFailures++;
            }
        }
        long micros = statement ? latencyMicros(r) : -1;
        if (statement) {
            statements++;
            errors += error ? 1 : 0;
            incomplete += r.status() == RecordStatus.INCOMPLETE ? 1 : 0;
            if (micros >= 0) {
                latency.add(micros);
            }
        }
        place(hour.slot(ts), statement, error, in, out, micros);
        place(day.slot(ts), statement, error, in, out, micros);
    }

    private static void place(SeriesSlot s, boolean statement, boolean error, long in, long out, long micros) {
        if (s == null) {
            return;
        }
        s.bytesIn += in;
        s.bytesOut += out;
        if (statement) {
            s.statements++;
            s.errors += error ? 1 : 0;
            if (micros >= 0) {
                s.latency.add(micros);
            }
        }
    }

    /** Request start to response end; the server's own time when only that was seen; -1 when neither. */
    static long latencyMicros(TransactionRecord r) {
        if (r.response() == null) {
            return -1;
        }
        if (r.response().durationUs() != null) {
            return r.response().durationUs();
        }
        return r.response().serverUs() == null ? -1 : r.response().serverUs();
    }

    long statements() {
        return statements;
    }

    long lastMicros() {
        return lastMicros;
    }

    long late() {
        return hour.late();
    }

    ObjectNode toJson(JsonNodeFactory f, long nowMicros) {
        ObjectNode o = f.objectNode();
        o.put("connections", connections);
        o.put("statements", statements);
        o.put("errors", errors);
        o.put("incomplete", incomplete);
        o.put("logins", logins);
        o.put("login_failures", loginFailures);
        o.put("tls_sessions", tlsSessions);
        o.put("bytes_in", bytesIn);
        o.put("bytes_out", bytesOut);
        double seconds = rateSeconds(nowMicros);
        o.put("statements_per_s", round(recent(nowMicros, true) / seconds));
        o.put("errors_per_s", round(recent(nowMicros, false) / seconds));
        ObjectNode share = o.putObject("share");
        long all = clearBytes + tlsBytes + decryptedBytes;
        share.put("clear", all == 0 ? 0 : round((double) clearBytes / all));
        share.put("tls", all == 0 ? 0 : round((double) tlsBytes / all));
        share.put("decrypted", all == 0 ? 0 : round((double) decryptedBytes / all));
        ObjectNode lat = o.putObject("latency_us");
        lat.put("p50", latency.quantile(0.50));
        lat.put("p95", latency.quantile(0.95));
        lat.put("p99", latency.quantile(0.99));
        o.put("first_seen_us", firstMicros == Long.MAX_VALUE ? 0 : firstMicros);
        o.put("last_seen_us", lastMicros == Long.MIN_VALUE ? 0 : lastMicros);
        o.set("hour", series(f, hour, nowMicros));
        o.set("day", series(f, day, nowMicros));
        return o;
    }

    /** The seconds rates are averaged over: the rate window, or less when traffic began more recently. */
    private double rateSeconds(long nowMicros) {
        long span = firstMicros == Long.MAX_VALUE ? 0 : nowMicros - firstMicros;
        return Math.max(1.0, Math.min(RATE_WINDOW_MICROS, span) / 1e6);
    }

    /** Statements (or errors) in the minutes of the rate window ending at {@code nowMicros}. */
    private long recent(long nowMicros, boolean statementsNotErrors) {
        long sum = 0;
        long nowMinute = Math.floorDiv(nowMicros, MINUTE_MICROS);
        long fromMicros = nowMicros - RATE_WINDOW_MICROS;
        for (long m = Math.floorDiv(fromMicros, MINUTE_MICROS); m <= nowMinute; m++) {
            SeriesSlot s = hour.held(m);
            if (s != null) {
                sum += statementsNotErrors ? s.statements : s.errors;
            }
        }
        return sum;
    }

    private static ObjectNode series(JsonNodeFactory f, TimeSeries ts, long nowMicros) {
        ObjectNode o = f.objectNode();
        long period = ts.periodMicros();
        long last = Math.floorDiv(nowMicros, period);
        long first = last - ts.length() + 1;
        o.put("period_s", period / 1_000_000L);
        o.put("start_us", first * period);
        ArrayNode st = o.putArray("statements");
        ArrayNode er = o.putArray("errors");
        ArrayNode bi = o.putArray("bytes_in");
        ArrayNode bo = o.putArray("bytes_out");
        ArrayNode p95 = o.putArray("p95_us");
        for (long p = first; p <= last; p++) {
            SeriesSlot s = ts.held(p);
            st.add(s == null ? 0 : s.statements);
            er.add(s == null ? 0 : s.errors);
            bi.add(s == null ? 0 : s.bytesIn);
            bo.add(s == null ? 0 : s.bytesOut);
            p95.add(s == null ? -1 : s.latency.quantile(0.95));
        }
        return o;
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
