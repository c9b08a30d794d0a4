package io.dbwire.core.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON line form of a record ({@link RecordJson}, docs/records.md) back into a {@link TransactionRecord},
 * for central detection over records another sensor wrote. The inverse of {@link RecordJson} field by field
 * (RecordJsonReaderTest holds the two together). Keys it does not know are skipped, so a newer sensor's additions do
 * not stop an older reader; a missing or mistyped field the record needs is a {@link BadRecord}, never a guess.
 */
public final class RecordJsonReader {
    private static final JsonFactory FACTORY = new JsonFactory();
    /** Nesting deeper than the record form ever goes is refused rather than followed. */
    private static final int MAX_DEPTH = 8;

    private RecordJsonReader() {}

    /** A line that is not a record: the message names the field, {@code field: actual (expected: ...)}. */
    public static final class BadRecord extends Exception {
        BadRecord(String message) {
            super(message, null, false, false);
        }
    }

    public static TransactionRecord read(String json) throws BadRecord {
        if (json == null) {
            throw new BadRecord("record: null");
        }
        Map<String, Object> m;
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadRecord("record: not a JSON object");
            }
            m = object(p, 0);
            if (p.nextToken() != null) {
                throw new BadRecord("record: text after the object");
            }
        } catch (IOException e) {
            throw new BadRecord("record: not JSON (" + firstLine(e.getMessage()) + ")");
        }
        return record(m);
    }

    private static TransactionRecord record(Map<String, Object> m) throws BadRecord {
        TransactionRecord.Builder b = TransactionRecord.builder(kind(text(m, "kind")), protocol(text(m, "protocol")))
                .ts(micros(m, "ts"))
                .connection(number(m, "connection_id"), m.get("vni") == null ? -1 : (int) number(m, "vni"))
                .client(endpoint(m, "client"))
                .server(endpoint(m, "server"))
                .session(session(object(m, "session")))
                .status(status(text(m, "status")));
        Map<String, Object> s = optionalObject(m, "statement");
        if (s != null) {
            b.statement(new StatementInfo(optionalText(s, "text"), optionalText(s, "fingerprint"),
                    optionalText(s, "operation"), attribution(s), optionalText(s, "text_unknown")));
        }
        Map<String, Object> req = optionalObject(m, "request");
        if (req != null) {
            b.request(new RequestInfo(number(req, "bytes")));
        }
        Map<String, Object> res = optionalObject(m, "response");
        if (res != null) {
            b.response(new ResponseInfo(optionalNumber(res, "rows"), optionalNumber(res, "rows_affected"),
                    number(res, "bytes"), optionalNumber(res, "server_us"), optionalNumber(res, "duration_us"),
                    optionalText(res, "command_tag"), optionalText(res, "transaction"), sensitive(res)));
        }
        Map<String, Object> e = optionalObject(m, "error");
        if (e != null) {
            b.error(new ErrorInfo(optionalText(e, "code"), optionalText(e, "message")));
        }
        Map<String, Object> t = optionalObject(m, "tls");
        if (t != null) {
            b.tls(tls(t));
        }
        Map<String, Object> g = optionalObject(m, "gaps");
        if (g != null) {
            b.gaps(new GapInfo(number(g, "client_bytes"), number(g, "server_bytes")));
        }
        return b.build();
    }

    private static SessionInfo session(Map<String, Object> s) throws BadRecord {
        return new SessionInfo(optionalText(s, "user"), optionalText(s, "database"), optionalText(s, "application"),
                bool(s, "tls"), bool(s, "mid_stream"), bool(s, "decrypted"), optionalText(s, "auth_method"),
                optionalText(s, "protocol_version"), optionalText(s, "client_tool"), strings(s, "attributes"));
    }

    /** Tags, trace_id and span_id of a statement; all absent is no attribution, as the writer leaves them. */
    private static StatementAttribution attribution(Map<String, Object> s) throws BadRecord {
        Map<String, String> tags = strings(s, "tags");
        String traceId = optionalText(s, "trace_id");
        String spanId = optionalText(s, "span_id");
        return tags == null && traceId == null && spanId == null ? null
                : new StatementAttribution(tags, traceId, spanId);
    }

    private static SensitiveCounts sensitive(Map<String, Object> r) throws BadRecord {
        Map<String, Object> c = optionalObject(r, "sensitive");
        if (c == null) {
            return null;
        }
        List<SensitiveCounts.Column> columns = new ArrayList<>();
        for (Object o : list(c, "columns")) {
            if (!(o instanceof Map)) {
                throw new BadRecord("response.sensitive.columns: " + o + " (expected: objects)");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> col = (Map<String, Object>) o;
            columns.add(new SensitiveCounts.Column((int) number(col, "index"), number(col, "card"),
                    number(col, "national_id"), number(col, "email")));
        }
        return new SensitiveCounts(number(c, "card"), number(c, "national_id"), number(c, "email"),
                number(c, "rows_cut"), number(c, "rows_skipped"), columns);
    }

    private static Map<String, String> strings(Map<String, Object> m, String key) throws BadRecord {
        Map<String, Object> o = optionalObject(m, key);
        if (o == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : o.keySet()) {
            out.put(k, text(o, k));
        }
        return out;
    }

    private static TlsInfo tls(Map<String, Object> t) throws BadRecord {
        List<String> alpn = new ArrayList<>();
        for (Object o : list(t, "alpn")) {
            if (!(o instanceof String)) {
                throw new BadRecord("tls.alpn: " + o + " (expected: strings)");
            }
            alpn.add((String) o);
        }
        Map<String, Object> c = optionalObject(t, "certificate");
        TlsInfo.Certificate cert = c == null ? null
                : new TlsInfo.Certificate(optionalText(c, "subject"), optionalText(c, "issuer"), micros(c, "not_after"));
        Map<String, Object> u = object(t, "turns");
        Long maxLatency = optionalNumber(u, "max_latency_us");
        TlsInfo.Turns turns = new TlsInfo.Turns(number(u, "count"), number(u, "request_bytes"),
                number(u, "response_bytes"), number(u, "max_request_bytes"), number(u, "max_response_bytes"),
                number(u, "sum_latency_us"), maxLatency == null ? -1 : maxLatency,
                number(u, "unanswered_server_bursts"));
        Long handshake = optionalNumber(t, "handshake_us");
        return new TlsInfo(optionalText(t, "version"), optionalText(t, "cipher"), optionalText(t, "sni"), alpn,
                optionalText(t, "alpn_selected"), optionalText(t, "ja3"), optionalText(t, "ja3_hash"),
                optionalText(t, "ja4"), cert, handshake == null ? -1 : handshake, flow(object(t, "client")),
                flow(object(t, "server")), turns, bool(t, "decrypted"), counts(object(t, "decrypt_outcomes")),
                counts(object(t, "violations")));
    }

    private static TlsInfo.Flow flow(Map<String, Object> f) throws BadRecord {
        return new TlsInfo.Flow(number(f, "bytes"), number(f, "records"));
    }

    private static Map<String, Long> counts(Map<String, Object> m) throws BadRecord {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String k : m.keySet()) {
            out.put(k, number(m, k));
        }
        return out;
    }

    private static Endpoint endpoint(Map<String, Object> m, String key) throws BadRecord {
        Map<String, Object> e = object(m, key);
        return new Endpoint(optionalText(e, "ip"), (int) number(e, "port"));
    }

    private static RecordKind kind(String v) throws BadRecord {
        for (RecordKind k : RecordKind.values()) {
            if (k.json().equals(v)) {
                return k;
            }
        }
        throw new BadRecord("kind: " + v + " (expected: statement, login, tls or cancel)");
    }

    private static DatabaseProtocol protocol(String v) throws BadRecord {
        for (DatabaseProtocol p : DatabaseProtocol.values()) {
            if (p.wireName().equals(v)) {
                return p;
            }
        }
        throw new BadRecord("protocol: " + v + " (expected: postgresql or mysql)");
    }

    private static RecordStatus status(String v) throws BadRecord {
        for (RecordStatus s : RecordStatus.values()) {
            if (s.json().equals(v)) {
                return s;
            }
        }
        throw new BadRecord("status: " + v + " (expected: ok, error or incomplete)");
    }

    /** ISO-8601 UTC as {@link io.dbwire.core.util.Timestamps#formatMicros} writes it, to microseconds. */
    private static long micros(Map<String, Object> m, String key) throws BadRecord {
        String v = text(m, key);
        try {
            Instant i = Instant.parse(v);
            return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1_000L);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new BadRecord(key + ": " + v + " (expected: an ISO-8601 UTC time)");
        }
    }

    private static String text(Map<String, Object> m, String key) throws BadRecord {
        String v = optionalText(m, key);
        if (v == null) {
            throw new BadRecord(key + ": missing (expected: a string)");
        }
        return v;
    }

    private static String optionalText(Map<String, Object> m, String key) throws BadRecord {
        Object v = m.get(key);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new BadRecord(key + ": " + v + " (expected: a string or null)");
    }

    private static long number(Map<String, Object> m, String key) throws BadRecord {
        Long v = optionalNumber(m, key);
        if (v == null) {
            throw new BadRecord(key + ": missing (expected: a whole number)");
        }
        return v;
    }

    private static Long optionalNumber(Map<String, Object> m, String key) throws BadRecord {
        Object v = m.get(key);
        if (v == null || v instanceof Long) {
            return (Long) v;
        }
        throw new BadRecord(key + ": " + v + " (expected: a whole number or null)");
    }

    private static boolean bool(Map<String, Object> m, String key) throws BadRecord {
        Object v = m.get(key);
        if (v instanceof Boolean) {
            return (Boolean) v;
        }
        throw new BadRecord(key + ": " + v + " (expected: true or false)");
    }

    private static Map<String, Object> object(Map<String, Object> m, String key) throws BadRecord {
        Map<String, Object> v = optionalObject(m, key);
        if (v == null) {
            throw new BadRecord(key + ": missing (expected: an object)");
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> optionalObject(Map<String, Object> m, String key) throws BadRecord {
        Object v = m.get(key);
        if (v == null || v instanceof Map) {
            return (Map<String, Object>) v;
        }
        throw new BadRecord(key + ": " + v + " (expected: an object or null)");
    }

    private static List<?> list(Map<String, Object> m, String key) throws BadRecord {
        Object v = m.get(key);
        if (v instanceof List) {
            return (List<?>) v;
        }
        throw new BadRecord(key + ": " + v + " (expected: an array)");
    }

    /** The object whose START_OBJECT was just read, as a map in key order. */
    private static Map<String, Object> object(JsonParser p, int depth) throws IOException, BadRecord {
        Map<String, Object> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            out.put(name, value(p, depth + 1));
        }
        return out;
    }

    private static Object value(JsonParser p, int depth) throws IOException, BadRecord {
        if (depth > MAX_DEPTH) {
            throw new BadRecord("record: nested deeper than " + MAX_DEPTH + " levels");
        }
        switch (p.currentToken()) {
            case START_OBJECT:
                return object(p, depth);
            case START_ARRAY:
                List<Object> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(value(p, depth + 1));
                }
                return items;
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getText() : p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            default:
                return null;
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
