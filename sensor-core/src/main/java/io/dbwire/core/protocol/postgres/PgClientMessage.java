package io.dbwire.core.protocol.postgres;

/**
 * Client messages the session needs, one immutable record each, decoded from a fenced body. Decoders return
 * null when the body does not hold the message (the caller counts a body violation). Fieldless or counted-only
 * messages (Sync, Flush, Terminate, CopyData, CopyDone, PasswordMessage/SASL responses) are handled by type
 * byte and never materialised; password bytes are not even kept by the framer. A Query ('Q': query string\0)
 * is its text alone, read by {@link PgReader#queryCstring}.
 */
sealed interface PgClientMessage {

    /**
     * StartupMessage, SSLRequest, GSSENCRequest or CancelRequest (untyped; told apart by the code).
     *
     * @param parameters the other startup parameters (client_encoding, DateStyle, options, replication…), at
     *                   most {@link #MAX_PARAMETERS}, each value cut to {@link #MAX_PARAMETER_CHARS}: they tell
     *                   which driver is speaking ({@code session.client_tool})
     */
    record Startup(int code, String user, String database, String application, java.util.Map<String, String> parameters)
            implements PgClientMessage {
        static final int MAX_PARAMETERS = 16;
        static final int MAX_PARAMETER_CHARS = 128;

        static Startup decode(PgReader r) {
            int code = r.int32();
            if (r.failed()) {
                return null;
            }
            if ((code >>> 16) != 3) {
                return new Startup(code, null, null, null, java.util.Map.of()); // a request code or another version
            }
            String user = null;
            String database = null;
            String application = null;
            java.util.Map<String, String> others = new java.util.LinkedHashMap<>();
            // name\0value\0 pairs, ended by an empty name.
            while (r.remaining() > 0) {
                String name = r.cstring();
                if (name == null || name.isEmpty()) {
                    break;
                }
                String value = r.cstring();
                if (value == null) {
                    return null;
                }
                switch (name) {
                    case "user" -> user = value;
                    case "database" -> database = value;
                    case "application_name" -> application = value;
                    default -> {
                        if (others.size() < MAX_PARAMETERS && !name.startsWith("_pq_.")) {
                            others.put(name, value.length() > MAX_PARAMETER_CHARS
                                    ? value.substring(0, MAX_PARAMETER_CHARS) : value);
                        }
                    }
                }
            }
            // The server defaults the database to the user name, also when it is sent empty.
            return new Startup(code, user, database != null && !database.isEmpty() ? database : user, application,
                    others);
        }
    }

    /**
     * CancelRequest: int32 code, int32 process id, secret key (4 bytes in 3.0, up to 256 in 3.2, the rest of the
     * message). The key is hashed to match the victim's BackendKeyData, never kept.
     */
    record CancelRequest(int processId, long keyHash) implements PgClientMessage {
        static CancelRequest decode(PgReader r) {
            r.int32();
            int pid = r.int32();
            if (r.failed() || r.remaining() < PgServerMessage.BackendKeyData.MIN_KEY) {
                return null;
            }
            return new CancelRequest(pid, r.hashRest());
        }
    }

    /**
     * 'F' FunctionCall (the "fastpath" interface, e.g. pgjdbc's large objects): int32 function OID, then argument
     * formats and values (never read: they are data), int16 result format. Only the OID is kept.
     */
    record FunctionCall(int functionOid) implements PgClientMessage {
        static FunctionCall decode(PgReader r) {
            int oid = r.int32();
            return r.failed() ? null : new FunctionCall(oid);
        }
    }

    /** 'P': statement name\0, query\0, int16 parameter type count, int32 OIDs (not needed). */
    record Parse(String name, String sql) implements PgClientMessage {
        static Parse decode(PgReader r) {
            String name = r.recurringCstring();
            String sql = r.cstring();
            return r.failed() ? null : new Parse(name, sql);
        }
    }

    /*
     * Bind, Execute, Close and Describe come with every execution of a prepared statement: they are flyweights,
     * one of each per connection refilled by each message, so the extended protocol's fast path makes no object.
     * Their fields are valid until the next decode.
     */

    /** 'B': portal\0, statement\0, then formats and parameter values (never read: they are data). */
    final class Bind implements PgClientMessage {
        private String portal;
        private String statement;

        /** False when the body does not hold the message. */
        boolean decode(PgReader r) {
            portal = r.recurringCstring();
            statement = r.recurringCstring();
            return !r.failed();
        }

        String portal() {
            return portal;
        }

        String statement() {
            return statement;
        }
    }

    /** 'E': portal\0, int32 maximum rows (0 = all). */
    final class Execute implements PgClientMessage {
        private String portal;
        private int maxRows;

        /** False when the body does not hold the message. */
        boolean decode(PgReader r) {
            portal = r.recurringCstring();
            maxRows = r.int32();
            return !r.failed();
        }

        String portal() {
            return portal;
        }

        int maxRows() {
            return maxRows;
        }
    }

    /** 'C' (Close) and 'D' (Describe): byte 'S' statement or 'P' portal, name\0. */
    final class Target implements PgClientMessage {
        static final int STATEMENT = 'S';
        static final int PORTAL = 'P';
        private int kind;
        private String name;

        /** False when the body does not hold the message or names neither a statement nor a portal. */
        boolean decode(PgReader r) {
            kind = r.byte1();
            name = r.recurringCstring();
            return !r.failed() && (kind == STATEMENT || kind == PORTAL);
        }

        int kind() {
            return kind;
        }

        String name() {
            return name;
        }
    }
}
