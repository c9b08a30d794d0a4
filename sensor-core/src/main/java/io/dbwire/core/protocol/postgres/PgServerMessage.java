package io.dbwire.core.protocol.postgres;

/**
 * Server messages the session needs, one immutable record each. DataRow, RowDescription, CopyData and the
 * other counted-only messages are handled by type byte and never materialised.
 */
sealed interface PgServerMessage {

    /** 'R': int32 request code (0 ok, 3 cleartext, 5 MD5, 7/8 GSS, 9 SSPI, 10/11/12 SASL), then data. */
    record Authentication(int code) implements PgServerMessage {
        static Authentication decode(PgReader r) {
            int code = r.int32();
            return r.failed() ? null : new Authentication(code);
        }
    }

    /** 'S': name\0 value\0. */
    record ParameterStatus(String name, String value) implements PgServerMessage {
        static ParameterStatus decode(PgReader r) {
            String name = r.cstring();
            String value = r.cstring();
            return r.failed() ? null : new ParameterStatus(name, value);
        }
    }

    /**
     * 'K': int32 backend process id, then the secret key: 4 bytes in protocol 3.0, 4 to 256 bytes (the rest of
     * the message) in 3.2, PostgreSQL 18. Kept: its first four bytes, its length and a hash of all of it.
     */
    record BackendKeyData(int processId, int secretKey, int keyLength, long keyHash) implements PgServerMessage {
        static final int MIN_KEY = 4;
        static final int MAX_KEY = 256;

        static BackendKeyData decode(PgReader r) {
            int pid = r.int32();
            int length = r.remaining();
            if (r.failed() || length < MIN_KEY) {
                return null;
            }
            int key = r.peekInt32();
            long hash = r.hashRest();
            return new BackendKeyData(pid, key, length, hash);
        }
    }

    /**
     * 'v' NegotiateProtocolVersion: int32 the newest version the server supports for the major the client asked
     * for, int32 count of protocol options (_pq_.*) it did not recognise, then their names (not needed). The
     * documentation calls the first field the newest <em>minor</em> version, but servers up to at least 15 send
     * the whole version ({@code 3 << 16 | 0}), and libpq reads it that way: both forms are accepted.
     */
    record NegotiateProtocolVersion(int major, int minor) implements PgServerMessage {
        static NegotiateProtocolVersion decode(PgReader r) {
            int version = r.int32();
            if (r.failed() || version < 0) {
                return null;
            }
            int major = version >>> 16;
            if (major != 0 && major != 3) {
                return null;
            }
            return new NegotiateProtocolVersion(3, version & 0xffff);
        }
    }

    /** 'Z': transaction status byte 'I' idle, 'T' in a transaction, 'E' in a failed transaction. */
    record ReadyForQuery(int status) implements PgServerMessage {
        static ReadyForQuery decode(PgReader r) {
            int status = r.byte1();
            boolean valid = status == 'I' || status == 'T' || status == 'E';
            return r.failed() || !valid ? null : new ReadyForQuery(status);
        }
    }

    /** 'C': command tag\0, e.g. "INSERT 0 5", "SELECT 3", "CREATE TABLE". */
    record CommandComplete(String tag) implements PgServerMessage {
        static CommandComplete decode(PgReader r) {
            String tag = tag(r);
            return tag == null ? null : new CommandComplete(tag);
        }

        /** The tag alone, or null when the body holds none: what the session needs, without a message object. */
        static String tag(PgReader r) {
            return r.recurringCstring();
        }
    }

    /**
     * 'E' (and 'N'): fields of one code byte + string\0, in any order, ended by a zero byte. Kept: 'C' SQLSTATE,
     * 'M' message, 'V' non-localised severity (falling back to the localised 'S').
     * https://www.postgresql.org/docs/current/protocol-error-fields.html
     */
    record ErrorResponse(String severity, String code, String message) implements PgServerMessage {
        static ErrorResponse decode(PgReader r) {
            String severity = null;
            String localized = null;
            String code = null;
            String message = null;
            while (r.remaining() > 0) {
                int field = r.byte1();
                if (field == 0) {
                    break;
                }
                String value = r.cstring();
                if (value == null) {
                    return null;
                }
                switch (field) {
                    case 'V' -> severity = value;
                    case 'S' -> localized = value;
                    case 'C' -> code = value;
                    case 'M' -> message = value;
                    default -> { }
                }
            }
            return r.failed() ? null : new ErrorResponse(severity != null ? severity : localized, code, message);
        }
    }
}
