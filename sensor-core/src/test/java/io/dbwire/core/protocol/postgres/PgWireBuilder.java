package io.dbwire.core.protocol.postgres;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds PostgreSQL protocol 3.0 messages as bytes, field by field, for test fixtures.
 * Layout of every typed message: type byte, int32 length (counting itself and the body), body.
 */
final class PgWireBuilder {
    private PgWireBuilder() {}

    /** A body under construction. */
    static final class Body {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Body int8(int v) {
            out.write(v);
            return this;
        }

        Body int16(int v) {
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        Body int32(int v) {
            out.write(v >>> 24);
            out.write(v >>> 16);
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        /** A string followed by its NUL terminator. */
        Body cstring(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write(b, 0, b.length);
            out.write(0);
            return this;
        }

        Body bytes(byte[] b) {
            out.write(b, 0, b.length);
            return this;
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }

    static Body body() {
        return new Body();
    }

    /** type byte + int32 length (4 + body) + body. */
    static byte[] typed(char type, Body body) {
        byte[] b = body.toBytes();
        return body().int8(type).int32(4 + b.length).bytes(b).toBytes();
    }

    /** Startup-phase message: int32 length (4 + body), body (which starts with the int32 code). */
    static byte[] untyped(Body body) {
        byte[] b = body.toBytes();
        return body().int32(4 + b.length).bytes(b).toBytes();
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    // ---- frontend (client -> server) --------------------------------------------------------------------

    /** StartupMessage: int32 196608 (protocol 3.0), name\0value\0 pairs, terminating \0. */
    static byte[] startup(String... nameValues) {
        Body b = body().int32(196608);
        for (String s : nameValues) {
            b.cstring(s);
        }
        return untyped(b.int8(0));
    }

    /** SSLRequest: int32 80877103, nothing else (length 8). */
    static byte[] sslRequest() {
        return untyped(body().int32(80877103));
    }

    /** GSSENCRequest: int32 80877104 (length 8). */
    static byte[] gssEncRequest() {
        return untyped(body().int32(80877104));
    }

    /** CancelRequest: int32 80877102, int32 backend pid, int32 secret key (length 16). */
    static byte[] cancelRequest(int pid, int key) {
        return untyped(body().int32(80877102).int32(pid).int32(key));
    }

    /** 'p' PasswordMessage: password\0 (also the form of SASL responses). */
    static byte[] password(String secret) {
        return typed('p', body().cstring(secret));
    }

    /** 'Q' Query: query string\0. */
    static byte[] query(String sql) {
        return typed('Q', body().cstring(sql));
    }

    /** 'P' Parse: statement name\0, query\0, int16 0 parameter types. */
    static byte[] parse(String name, String sql) {
        return typed('P', body().cstring(name).cstring(sql).int16(0));
    }

    /**
     * 'B' Bind: portal\0, statement\0, int16 1 format code, int16 0 (text), int16 n values, each int32 length +
     * bytes, int16 0 result format codes.
     */
    static byte[] bind(String portal, String statement, String... values) {
        Body b = body().cstring(portal).cstring(statement).int16(1).int16(0).int16(values.length);
        for (String v : values) {
            byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
            b.int32(bytes.length).bytes(bytes);
        }
        return typed('B', b.int16(0));
    }

    /** 'D' Describe: 'S' statement or 'P' portal, name\0. */
    static byte[] describe(char kind, String name) {
        return typed('D', body().int8(kind).cstring(name));
    }

    /** 'E' Execute: portal\0, int32 max rows (0 = no limit). */
    static byte[] execute(String portal, int maxRows) {
        return typed('E', body().cstring(portal).int32(maxRows));
    }

    /** 'C' Close: 'S' statement or 'P' portal, name\0. */
    static byte[] close(char kind, String name) {
        return typed('C', body().int8(kind).cstring(name));
    }

    /** 'S' Sync: no body. */
    static byte[] sync() {
        return typed('S', body());
    }

    /** 'X' Terminate: no body. */
    static byte[] terminate() {
        return typed('X', body());
    }

    /** 'd' CopyData (either direction): raw bytes. */
    static byte[] copyData(String row) {
        return typed('d', body().bytes(row.getBytes(StandardCharsets.UTF_8)));
    }

    /** 'c' CopyDone (either direction): no body. */
    static byte[] copyDone() {
        return typed('c', body());
    }

    /** 'f' CopyFail: message\0. */
    static byte[] copyFail(String why) {
        return typed('f', body().cstring(why));
    }

    // ---- backend (server -> client) ---------------------------------------------------------------------

    /** 'R' AuthenticationOk: int32 0. */
    static byte[] authOk() {
        return typed('R', body().int32(0));
    }

    /** 'R' AuthenticationMD5Password: int32 5, 4-byte salt. */
    static byte[] authMd5() {
        return typed('R', body().int32(5).bytes(new byte[] {1, 2, 3, 4}));
    }

    /** 'R' AuthenticationSASL: int32 10, mechanism names\0, terminating \0. */
    static byte[] authSasl() {
        return typed('R', body().int32(10).cstring("SCRAM-SHA-256").int8(0));
    }

    /** 'S' ParameterStatus: name\0 value\0. */
    static byte[] parameterStatus(String name, String value) {
        return typed('S', body().cstring(name).cstring(value));
    }

    /** 'K' BackendKeyData: int32 pid, int32 secret key. */
    static byte[] backendKeyData(int pid, int key) {
        return typed('K', body().int32(pid).int32(key));
    }

    /** 'Z' ReadyForQuery: status byte 'I' idle, 'T' in transaction, 'E' failed transaction. */
    static byte[] readyForQuery(char status) {
        return typed('Z', body().int8(status));
    }

    /**
     * 'T' RowDescription: int16 field count; per field name\0, int32 table oid, int16 column, int32 type oid
     * (25 = text), int16 type size, int32 type modifier, int16 format (0 text).
     */
    static byte[] rowDescription(String... columns) {
        Body b = body().int16(columns.length);
        for (String c : columns) {
            b.cstring(c).int32(0).int16(0).int32(25).int16(-1).int32(-1).int16(0);
        }
        return typed('T', b);
    }

    /** 'D' DataRow: int16 column count; per column int32 length + bytes. */
    static byte[] dataRow(String... values) {
        Body b = body().int16(values.length);
        for (String v : values) {
            byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
            b.int32(bytes.length).bytes(bytes);
        }
        return typed('D', b);
    }

    /** 'C' CommandComplete: tag\0. */
    static byte[] commandComplete(String tag) {
        return typed('C', body().cstring(tag));
    }

    /** 'I' EmptyQueryResponse: no body. */
    static byte[] emptyQuery() {
        return typed('I', body());
    }

    /** 'E' ErrorResponse: fields (code byte + string\0) in the order given here, terminating \0. */
    static byte[] error(String sqlstate, String message) {
        return typed('E', body().int8('S').cstring("ERROR").int8('V').cstring("ERROR").int8('C').cstring(sqlstate)
                .int8('M').cstring(message).int8(0));
    }

    /** 'E' ErrorResponse with FATAL severity and the message field before the code. */
    static byte[] fatal(String sqlstate, String message) {
        return typed('E', body().int8('S').cstring("FATAL").int8('M').cstring(message).int8('C').cstring(sqlstate)
                .int8('R').cstring("auth_failed").int8(0));
    }

    /** '1' ParseComplete, '2' BindComplete, '3' CloseComplete, 'n' NoData, 's' PortalSuspended: no body. */
    static byte[] parseComplete() {
        return typed('1', body());
    }

    static byte[] bindComplete() {
        return typed('2', body());
    }

    static byte[] closeComplete() {
        return typed('3', body());
    }

    static byte[] noData() {
        return typed('n', body());
    }

    static byte[] portalSuspended() {
        return typed('s', body());
    }

    /** 't' ParameterDescription: int16 count, int32 type oids. */
    static byte[] parameterDescription(int... oids) {
        Body b = body().int16(oids.length);
        for (int o : oids) {
            b.int32(o);
        }
        return typed('t', b);
    }

    /** 'G' CopyInResponse / 'H' CopyOutResponse: int8 0 (text), int16 column count, int16 format per column. */
    static byte[] copyInResponse(int columns) {
        return copyResponse('G', columns);
    }

    static byte[] copyOutResponse(int columns) {
        return copyResponse('H', columns);
    }

    private static byte[] copyResponse(char type, int columns) {
        Body b = body().int8(0).int16(columns);
        for (int i = 0; i < columns; i++) {
            b.int16(0);
        }
        return typed(type, b);
    }

    /** 'N' NoticeResponse: same fields as ErrorResponse. */
    static byte[] notice(String message) {
        return typed('N', body().int8('S').cstring("NOTICE").int8('C').cstring("00000").int8('M').cstring(message)
                .int8(0));
    }

    // ---- protocol 3.2, fastpath, notifications, CopyBoth ------------------------------------------------

    /** StartupMessage asking for protocol 3.{@code minor} (3.2 = 196610, PostgreSQL 18), then name\0value\0 pairs. */
    static byte[] startupVersion(int minor, String... nameValues) {
        Body b = body().int32((3 << 16) | minor);
        for (String s : nameValues) {
            b.cstring(s);
        }
        return untyped(b.int8(0));
    }

    /** 'v' NegotiateProtocolVersion: int32 newest minor version supported, int32 count, unrecognised options\0. */
    static byte[] negotiateProtocolVersion(int minor, String... options) {
        Body b = body().int32(minor).int32(options.length);
        for (String o : options) {
            b.cstring(o);
        }
        return typed('v', b);
    }

    /** 'K' BackendKeyData of protocol 3.2: int32 pid, secret key of 4 to 256 bytes (the rest of the message). */
    static byte[] backendKeyData(int pid, byte[] key) {
        return typed('K', body().int32(pid).bytes(key));
    }

    /** CancelRequest of protocol 3.2: int32 80877102, int32 pid, the whole variable-length secret key. */
    static byte[] cancelRequest(int pid, byte[] key) {
        return untyped(body().int32(80877102).int32(pid).bytes(key));
    }

    /**
     * 'F' FunctionCall: int32 function OID, int16 1 argument format code, int16 0 (text), int16 argument count,
     * per argument int32 length + bytes, int16 result format 0.
     */
    static byte[] functionCall(int oid, String... args) {
        Body b = body().int32(oid).int16(1).int16(0).int16(args.length);
        for (String a : args) {
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            b.int32(bytes.length).bytes(bytes);
        }
        return typed('F', b.int16(0));
    }

    /** 'V' FunctionCallResponse: int32 result length (-1 NULL) + bytes. */
    static byte[] functionCallResponse(String result) {
        byte[] bytes = result.getBytes(StandardCharsets.UTF_8);
        return typed('V', body().int32(bytes.length).bytes(bytes));
    }

    /** 'A' NotificationResponse: int32 notifying backend pid, channel\0, payload\0. */
    static byte[] notification(int pid, String channel, String payload) {
        return typed('A', body().int32(pid).cstring(channel).cstring(payload));
    }

    /** 'W' CopyBothResponse (replication streams): like CopyOutResponse. */
    static byte[] copyBothResponse(int columns) {
        return copyResponse('W', columns);
    }

    /** 'B' Bind with explicit formats: portal\0 stmt\0, format codes, values (null = NULL, length -1). */
    static byte[] bindWithFormats(String portal, String statement, int[] formats, byte[]... values) {
        Body b = body().cstring(portal).cstring(statement).int16(formats.length);
        for (int f : formats) {
            b.int16(f);
        }
        b.int16(values.length);
        for (byte[] v : values) {
            if (v == null) {
                b.int32(-1);
            } else {
                b.int32(v.length).bytes(v);
            }
        }
        return typed('B', b.int16(0));
    }
}
