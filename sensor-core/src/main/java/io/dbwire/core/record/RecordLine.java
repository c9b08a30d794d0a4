package io.dbwire.core.record;

import io.dbwire.core.util.Timestamps;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * The record JSON line (docs/records.md) written straight to UTF-8 bytes, the same bytes as {@link RecordJson}
 * plus a newline, without an intermediate String: field names are pre-encoded and the timestamp's date and time
 * are formatted once per second of packet time. What stays the same from record to record is copied as encoded
 * blocks: the connection's fields and session ({@link ConnectionBlocks}), a recurring statement's fields
 * ({@link StatementBlocks}), other recurring strings ({@link EncodedStrings}). Records of kind {@code tls} (one
 * per TLS session) go through {@link RecordJson}. A change to the record's fields must be made here as in {@link RecordJson};
 * {@code RecordLineTest} compares the two. Not thread-safe: one per writing thread.
 */
public final class RecordLine {
    private static final byte[] TS = JsonBytes.ascii("{\"ts\":\"");
    private static final byte[] PROTOCOL = JsonBytes.ascii(",\"protocol\":");
    private static final byte[] CONNECTION_ID = JsonBytes.ascii(",\"connection_id\":");
    private static final byte[] VNI = JsonBytes.ascii(",\"vni\":");
    private static final byte[] CLIENT_IP = JsonBytes.ascii(",\"client\":{\"ip\":");
    private static final byte[] SERVER_IP = JsonBytes.ascii("},\"server\":{\"ip\":");
    private static final byte[] PORT = JsonBytes.ascii(",\"port\":");
    private static final byte[] SESSION_USER = JsonBytes.ascii("},\"session\":{\"user\":");
    private static final byte[] DATABASE = JsonBytes.ascii(",\"database\":");
    private static final byte[] APPLICATION = JsonBytes.ascii(",\"application\":");
    private static final byte[] TLS = JsonBytes.ascii(",\"tls\":");
    private static final byte[] MID_STREAM = JsonBytes.ascii(",\"mid_stream\":");
    private static final byte[] DECRYPTED = JsonBytes.ascii(",\"decrypted\":");
    private static final byte[] AUTH_METHOD = JsonBytes.ascii(",\"auth_method\":");
    private static final byte[] PROTOCOL_VERSION = JsonBytes.ascii(",\"protocol_version\":");
    private static final byte[] CLIENT_TOOL = JsonBytes.ascii(",\"client_tool\":");
    private static final byte[] ATTRIBUTES = JsonBytes.ascii(",\"attributes\":");
    private static final byte[] TAGS = JsonBytes.ascii(",\"tags\":");
    private static final byte[] TRACE_ID = JsonBytes.ascii(",\"trace_id\":");
    private static final byte[] SPAN_ID = JsonBytes.ascii(",\"span_id\":");
    private static final byte[] TEXT_UNKNOWN = JsonBytes.ascii(",\"text_unknown\":");
    private static final byte[] SENSITIVE_NULL = JsonBytes.ascii(",\"sensitive\":null");
    private static final byte[] SENSITIVE_CARD = JsonBytes.ascii(",\"sensitive\":{\"card\":");
    private static final byte[] NATIONAL_ID = JsonBytes.ascii(",\"national_id\":");
    private static final byte[] EMAIL = JsonBytes.ascii(",\"email\":");
    private static final byte[] ROWS_CUT = JsonBytes.ascii(",\"rows_cut\":");
    private static final byte[] ROWS_SKIPPED = JsonBytes.ascii(",\"rows_skipped\":");
    private static final byte[] COLUMNS = JsonBytes.ascii(",\"columns\":[");
    private static final byte[] COLUMN_INDEX = JsonBytes.ascii("{\"index\":");
    private static final byte[] CARD = JsonBytes.ascii(",\"card\":");
    private static final byte[] STATEMENT_NULL = JsonBytes.ascii("},\"statement\":null");
    private static final byte[] STATEMENT_TEXT = JsonBytes.ascii("},\"statement\":{\"text\":");
    private static final byte[] FINGERPRINT = JsonBytes.ascii(",\"fingerprint\":");
    private static final byte[] OPERATION = JsonBytes.ascii(",\"operation\":");
    private static final byte[] REQUEST_NULL = JsonBytes.ascii(",\"request\":null");
    private static final byte[] REQUEST_BYTES = JsonBytes.ascii(",\"request\":{\"bytes\":");
    private static final byte[] RESPONSE_NULL = JsonBytes.ascii(",\"response\":null");
    private static final byte[] RESPONSE_ROWS = JsonBytes.ascii(",\"response\":{\"rows\":");
    private static final byte[] ROWS_AFFECTED = JsonBytes.ascii(",\"rows_affected\":");
    private static final byte[] BYTES = JsonBytes.ascii(",\"bytes\":");
    private static final byte[] SERVER_US = JsonBytes.ascii(",\"server_us\":");
    private static final byte[] DURATION_US = JsonBytes.ascii(",\"duration_us\":");
    private static final byte[] COMMAND_TAG = JsonBytes.ascii(",\"command_tag\":");
    private static final byte[] TRANSACTION = JsonBytes.ascii(",\"transaction\":");
    private static final byte[] ERROR_CODE = JsonBytes.ascii(",\"error\":{\"code\":");
    private static final byte[] MESSAGE = JsonBytes.ascii(",\"message\":");
    private static final byte[] TLS_NULL = JsonBytes.ascii(",\"tls\":null");
    private static final byte[] GAPS_CLIENT_BYTES = JsonBytes.ascii(",\"gaps\":{\"client_bytes\":");
    private static final byte[] SERVER_BYTES = JsonBytes.ascii(",\"server_bytes\":");
    private static final byte[] END = JsonBytes.ascii("}\n");

    /** {@code Z","kind":"…"} per {@link RecordKind}: the timestamp's end and the kind, one copy. */
    private static final byte[][] KIND_VALUES = valuesAfter("Z\",\"kind\":", RecordKind.values().length,
            i -> RecordKind.values()[i].json());
    private static final byte[][] STATUS_VALUES = valuesAfter(",\"status\":", RecordStatus.values().length,
            i -> RecordStatus.values()[i].json());
    private static final byte[] ERROR_NULL_TLS_NULL = JsonBytes.ascii(",\"error\":null,\"tls\":null");

    private final JsonBytes out = new JsonBytes(1024);
    private final EncodedStrings strings = new EncodedStrings();
    private final ConnectionBlocks connections = new ConnectionBlocks();
    private final StatementBlocks statements = new StatementBlocks();
    private long cachedSecond = Long.MIN_VALUE;
    private byte[] cachedPrefix;

    /** The line for {@code r}, newline included, in {@link #array()} from 0 to {@link #length()}. */
    public void encode(TransactionRecord r) {
        out.reset();
        if (r.tls() != null) {
            out.raw((RecordJson.toJson(r) + "\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        out.raw(TS);
        timestamp(r.tsMicros());
        out.raw(KIND_VALUES[r.kind().ordinal()]);
        connection(r);
        statement(r.statement());
        request(r.request());
        response(r.response());
        out.raw(STATUS_VALUES[r.status().ordinal()]);
        if (r.error() == null) {
            out.raw(ERROR_NULL_TLS_NULL);
        } else {
            error(r.error());
            out.raw(TLS_NULL);
        }
        gaps(r.gaps());
        out.raw(END);
    }

    /** Protocol, connection id, VNI, endpoints and session: the same bytes for every record of a connection. */
    private void connection(TransactionRecord r) {
        int slot = ConnectionBlocks.slot(r.connectionId());
        if (connections.writeKept(out, r, slot)) {
            return;
        }
        int start = out.length();
        out.raw(PROTOCOL);
        string(r.protocol());
        out.raw(CONNECTION_ID);
        out.number(r.connectionId());
        out.raw(VNI);
        if (r.vni() >= 0) {
            out.number(r.vni());
        } else {
            out.nullValue();
        }
        endpoint(CLIENT_IP, r.client());
        endpoint(SERVER_IP, r.server());
        session(r.session());
        connections.keep(r, slot, out.array(), start, out.length());
    }

    /** {@code key} followed by each value as a JSON string, one array per value. */
    private static byte[][] valuesAfter(String key, int count, IntFunction<String> value) {
        byte[][] all = new byte[count][];
        JsonBytes b = new JsonBytes(64);
        for (int i = 0; i < count; i++) {
            b.reset();
            b.raw(JsonBytes.ascii(key));
            b.string(value.apply(i));
            all[i] = Arrays.copyOf(b.array(), b.length());
        }
        return all;
    }

    private void string(String s) {
        strings.write(out, s);
    }

    public byte[] array() {
        return out.array();
    }

    public int length() {
        return out.length();
    }

    /** Date and time up to the decimal point come from the formatter once per second; the micros are digits. */
    private void timestamp(long micros) {
        long second = Math.floorDiv(micros, 1_000_000L);
        if (second != cachedSecond) {
            String whole = Timestamps.formatMicros(second * 1_000_000L);
            cachedPrefix = JsonBytes.ascii(whole.substring(0, whole.length() - "000000Z".length()));
            cachedSecond = second;
        }
        out.raw(cachedPrefix);
        out.sixDigits((int) (micros - second * 1_000_000L));
    }

    private void endpoint(byte[] head, Endpoint e) {
        out.raw(head);
        string(e.ip());
        out.raw(PORT);
        out.number(e.port());
    }

    private void session(SessionInfo s) {
        out.raw(SESSION_USER);
        string(s.user());
        out.raw(DATABASE);
        string(s.database());
        out.raw(APPLICATION);
        string(s.application());
        out.raw(TLS);
        out.bool(s.tls());
        out.raw(MID_STREAM);
        out.bool(s.midStream());
        out.raw(DECRYPTED);
        out.bool(s.decrypted());
        out.raw(AUTH_METHOD);
        string(s.authMethod());
        out.raw(PROTOCOL_VERSION);
        string(s.protocolVersion());
        out.raw(CLIENT_TOOL);
        string(s.clientTool());
        out.raw(ATTRIBUTES);
        stringMap(s.attributes());
    }

    private void stringMap(java.util.Map<String, String> m) {
        if (m == null) {
            out.nullValue();
            return;
        }
        out.rawByte('{');
        boolean first = true;
        for (java.util.Map.Entry<String, String> e : m.entrySet()) {
            if (!first) {
                out.rawByte(',');
            }
            first = false;
            out.string(e.getKey());
            out.rawByte(':');
            out.string(e.getValue());
        }
        out.rawByte('}');
    }

    private void sensitive(SensitiveCounts s) {
        if (s == null) {
            out.raw(SENSITIVE_NULL);
            return;
        }
        out.raw(SENSITIVE_CARD);
        out.number(s.card());
        out.raw(NATIONAL_ID);
        out.number(s.nationalId());
        out.raw(EMAIL);
        out.number(s.email());
        out.raw(ROWS_CUT);
        out.number(s.rowsCut());
        out.raw(ROWS_SKIPPED);
        out.number(s.rowsSkipped());
        out.raw(COLUMNS);
        boolean first = true;
        for (SensitiveCounts.Column c : s.columns()) {
            if (!first) {
                out.rawByte(',');
            }
            first = false;
            out.raw(COLUMN_INDEX);
            out.number(c.index());
            out.raw(CARD);
            out.number(c.card());
            out.raw(NATIONAL_ID);
            out.number(c.nationalId());
            out.raw(EMAIL);
            out.number(c.email());
            out.rawByte('}');
        }
        out.rawByte(']');
        out.rawByte('}');
    }

    private void statement(StatementInfo s) {
        if (s == null) {
            out.raw(STATEMENT_NULL);
            return;
        }
        int hash = StatementBlocks.hash(s);
        int slot = StatementBlocks.slot(hash);
        if (statements.writeKept(out, s, slot)) {
            return;
        }
        int start = out.length();
        statementFields(s);
        if (statements.admit(slot, hash)) {
            statements.keep(s, slot, out.array(), start, out.length());
        }
    }

    private void statementFields(StatementInfo s) {
        out.raw(STATEMENT_TEXT);
        string(s.text());
        out.raw(FINGERPRINT);
        string(s.fingerprint());
        out.raw(OPERATION);
        string(s.operation());
        StatementAttribution a = s.attribution();
        out.raw(TAGS);
        stringMap(a == null || a.tags().isEmpty() ? null : a.tags());
        out.raw(TRACE_ID);
        out.string(a == null ? null : a.traceId());
        out.raw(SPAN_ID);
        out.string(a == null ? null : a.spanId());
        if (s.textUnknown() != null) {
            out.raw(TEXT_UNKNOWN);
            out.string(s.textUnknown());
        }
        out.rawByte('}');
    }

    private void request(RequestInfo r) {
        if (r == null) {
            out.raw(REQUEST_NULL);
            return;
        }
        out.raw(REQUEST_BYTES);
        out.number(r.bytes());
        out.rawByte('}');
    }

    private void response(ResponseInfo r) {
        if (r == null) {
            out.raw(RESPONSE_NULL);
            return;
        }
        out.raw(RESPONSE_ROWS);
        out.nullableNumber(r.rows());
        out.raw(ROWS_AFFECTED);
        out.nullableNumber(r.rowsAffected());
        out.raw(BYTES);
        out.number(r.bytes());
        out.raw(SERVER_US);
        out.nullableNumber(r.serverUs());
        out.raw(DURATION_US);
        out.nullableNumber(r.durationUs());
        out.raw(COMMAND_TAG);
        string(r.commandTag());
        out.raw(TRANSACTION);
        string(r.transaction());
        sensitive(r.sensitive());
        out.rawByte('}');
    }

    private void gaps(GapInfo g) {
        if (g == null) {
            return;
        }
        out.raw(GAPS_CLIENT_BYTES);
        out.number(g.clientBytes());
        out.raw(SERVER_BYTES);
        out.number(g.serverBytes());
        out.rawByte('}');
    }

    private void error(ErrorInfo e) {
        out.raw(ERROR_CODE);
        string(e.code());
        out.raw(MESSAGE);
        string(e.message());
        out.rawByte('}');
    }
}
