package io.dbwire.core.protocol.postgres;

/**
 * Constants of the PostgreSQL frontend/backend protocol 3.x and the per-direction message table the framer
 * checks lengths against. Spec: https://www.postgresql.org/docs/current/protocol-message-formats.html
 *
 * <pre>
 * typed message:          startup-phase client message (no type byte):
 * +------+-----------+----------+     +-----------+------------+----------+
 * | type | int32 len | body ... |     | int32 len | int32 code | body ... |
 * +------+-----------+----------+     +-----------+------------+----------+
 *          len counts itself and the body, never the type byte
 * </pre>
 */
final class PgWire {
    /** {@link PgFrame#type} of a startup-phase client message. */
    static final int UNTYPED = -1;

    // Startup-phase request codes (the int32 after the length).
    static final int PROTOCOL_3_0 = 196608; // 3 << 16
    static final int SSL_REQUEST_CODE = 80877103;
    static final int GSSENC_REQUEST_CODE = 80877104;
    static final int CANCEL_REQUEST_CODE = 80877102;
    /** src/include/libpq/pqcomm.h MAX_STARTUP_PACKET_LENGTH: the server rejects longer startup packets. */
    static final int MAX_STARTUP_LENGTH = 10_000;
    static final int STARTUP_MIN_LENGTH = 8;

    // Frontend (client -> server) type bytes.
    static final int F_BIND = 'B', F_CLOSE = 'C', F_COPY_DATA = 'd', F_COPY_DONE = 'c', F_COPY_FAIL = 'f';
    static final int F_DESCRIBE = 'D', F_EXECUTE = 'E', F_FLUSH = 'H', F_FUNCTION_CALL = 'F', F_PARSE = 'P';
    static final int F_PASSWORD = 'p', F_QUERY = 'Q', F_SYNC = 'S', F_TERMINATE = 'X';

    // Backend (server -> client) type bytes.
    static final int B_AUTHENTICATION = 'R', B_BACKEND_KEY_DATA = 'K', B_BIND_COMPLETE = '2';
    static final int B_CLOSE_COMPLETE = '3', B_COMMAND_COMPLETE = 'C', B_COPY_DATA = 'd', B_COPY_DONE = 'c';
    static final int B_COPY_IN_RESPONSE = 'G', B_COPY_OUT_RESPONSE = 'H', B_COPY_BOTH_RESPONSE = 'W';
    static final int B_DATA_ROW = 'D', B_EMPTY_QUERY = 'I', B_ERROR_RESPONSE = 'E', B_FUNCTION_CALL_RESPONSE = 'V';
    static final int B_NEGOTIATE_PROTOCOL_VERSION = 'v', B_NO_DATA = 'n', B_NOTICE_RESPONSE = 'N';
    static final int B_NOTIFICATION_RESPONSE = 'A', B_PARAMETER_DESCRIPTION = 't', B_PARAMETER_STATUS = 'S';
    static final int B_PARSE_COMPLETE = '1', B_PORTAL_SUSPENDED = 's', B_READY_FOR_QUERY = 'Z';
    static final int B_ROW_DESCRIPTION = 'T';

    // Authentication request codes (int32 after 'R').
    static final int AUTH_OK = 0;

    /**
     * The method an authentication request code names; null for the continuation codes of a method already
     * named (GSS continue 8, SASL continue 11 and final 12). SASL (10) is SCRAM-SHA-256 on every PostgreSQL
     * release that has it.
     */
    static String authMethod(int code) {
        return switch (code) {
            case 2 -> "kerberos";
            case 3 -> "password";
            case 5 -> "md5";
            case 7 -> "gss";
            case 9 -> "sspi";
            case 10 -> "scram-sha-256";
            default -> null;
        };
    }

    /** Per type byte: minimum length field (0 = not a message of this direction); exact when FIXED. */
    private static final int[] FRONTEND_MIN = new int[256];
    private static final int[] BACKEND_MIN = new int[256];
    private static final boolean[] FRONTEND_FIXED = new boolean[256];
    private static final boolean[] BACKEND_FIXED = new boolean[256];
    /** Whether the body is materialised; counted-only and secret-bearing messages keep no byte. */
    private static final boolean[] FRONTEND_KEEP = new boolean[256];
    private static final boolean[] BACKEND_KEEP = new boolean[256];

    static {
        // Minimums: 4 (length) + the smallest body (empty strings are one NUL byte).
        front(F_BIND, 12, false, true); // portal\0 stmt\0 int16 int16 int16
        front(F_CLOSE, 6, false, true); // 'S'|'P' name\0
        front(F_COPY_DATA, 4, false, false); // counted, never kept
        front(F_COPY_DONE, 4, true, false);
        front(F_COPY_FAIL, 5, false, true);
        front(F_DESCRIBE, 6, false, true);
        front(F_EXECUTE, 9, false, true); // portal\0 int32 max rows
        front(F_FLUSH, 4, true, false);
        front(F_FUNCTION_CALL, 14, false, true); // oid, int16, int16, int16: the OID is read
        front(F_PARSE, 8, false, true); // name\0 query\0 int16
        front(F_PASSWORD, 4, false, false); // password / SASL / GSS: never kept
        front(F_QUERY, 5, false, true);
        front(F_SYNC, 4, true, false);
        front(F_TERMINATE, 4, true, false);

        back(B_AUTHENTICATION, 8, false, true);
        back(B_BACKEND_KEY_DATA, 12, false, true); // 3.0: exactly 12; 3.2: variable-length key
        back(B_BIND_COMPLETE, 4, true, false);
        back(B_CLOSE_COMPLETE, 4, true, false);
        back(B_COMMAND_COMPLETE, 5, false, true);
        back(B_COPY_DATA, 4, false, false);
        back(B_COPY_DONE, 4, true, false);
        back(B_COPY_IN_RESPONSE, 7, false, false);
        back(B_COPY_OUT_RESPONSE, 7, false, true); // its format byte is read
        back(B_COPY_BOTH_RESPONSE, 7, false, false);
        back(B_DATA_ROW, 6, false, false); // counted, never kept
        back(B_EMPTY_QUERY, 4, true, false);
        back(B_ERROR_RESPONSE, 5, false, true);
        back(B_FUNCTION_CALL_RESPONSE, 8, false, false);
        back(B_NEGOTIATE_PROTOCOL_VERSION, 12, false, true); // its newest minor version is read
        back(B_NO_DATA, 4, true, false);
        back(B_NOTICE_RESPONSE, 5, false, false);
        back(B_NOTIFICATION_RESPONSE, 10, false, false);
        back(B_PARAMETER_DESCRIPTION, 6, false, false);
        back(B_PARAMETER_STATUS, 6, false, true);
        back(B_PARSE_COMPLETE, 4, true, false);
        back(B_PORTAL_SUSPENDED, 4, true, false);
        back(B_READY_FOR_QUERY, 5, true, true);
        back(B_ROW_DESCRIPTION, 6, false, false);
    }

    private PgWire() {}

    private static void front(int type, int min, boolean fixed, boolean keep) {
        FRONTEND_MIN[type] = min;
        FRONTEND_FIXED[type] = fixed;
        FRONTEND_KEEP[type] = keep;
    }

    private static void back(int type, int min, boolean fixed, boolean keep) {
        BACKEND_MIN[type] = min;
        BACKEND_FIXED[type] = fixed;
        BACKEND_KEEP[type] = keep;
    }

    static boolean known(boolean frontend, int type) {
        return (frontend ? FRONTEND_MIN : BACKEND_MIN)[type & 0xff] != 0;
    }

    /** Whether {@code length} (the int32 length field) fits the type's minimum or fixed size. */
    static boolean lengthFits(boolean frontend, int type, int length) {
        int min = (frontend ? FRONTEND_MIN : BACKEND_MIN)[type & 0xff];
        boolean fixed = (frontend ? FRONTEND_FIXED : BACKEND_FIXED)[type & 0xff];
        return fixed ? length == min : length >= min;
    }

    static boolean keep(boolean frontend, int type) {
        return (frontend ? FRONTEND_KEEP : BACKEND_KEEP)[type & 0xff];
    }

    static int int32(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
