package io.dbwire.core.protocol.mysql;

/**
 * Client packets the session reads fields from, one immutable type each. Passwords, scrambles and auth
 * responses are skipped by length, never turned into values.
 */
sealed interface MySqlClientMessage {

    /**
     * HandshakeResponse41 (or the short SSLRequest: the same first 32 bytes with CLIENT_SSL and nothing after).
     * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_response.html
     *
     * @param attributes connect attributes in the order sent (empty when none), bounded by {@link #MAX_ATTRIBUTES}
     *                   and {@link #MAX_ATTRIBUTE_CHARS}
     */
    record HandshakeResponse(long capabilities, boolean sslRequest, String user, String database, String authPlugin,
            java.util.Map<String, String> attributes, int zstdLevel) implements MySqlClientMessage {
        static final int MAX_ATTRIBUTES = 32;
        static final int MAX_ATTRIBUTE_CHARS = 256;

        /** SSLRequest payload: capabilities 4, max packet 4, charset 1, filler 23. */
        static final int SSL_REQUEST_LENGTH = 32;

        static HandshakeResponse decode(MySqlReader r, long length) {
            long caps = r.int4();
            if (r.failed()) {
                return null;
            }
            if ((caps & MySqlWire.CLIENT_PROTOCOL_41) == 0) {
                return decode320(r, caps);
            }
            r.skip(4); // max packet size
            r.skip(1); // character set
            r.skip(19); // filler
            long mariaCaps = r.int4(); // MariaDB extended capabilities (zero from MySQL clients)
            if ((caps & 1L) == 0) {
                caps |= mariaCaps << 32;
            }
            if (r.failed()) {
                return null;
            }
            if (length == SSL_REQUEST_LENGTH && (caps & MySqlWire.CLIENT_SSL) != 0) {
                return new HandshakeResponse(caps, true, null, null, null, java.util.Map.of(), 0);
            }
            String user = r.nulString();
            if ((caps & MySqlWire.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA) != 0) {
                r.skipLenencString();
            } else if ((caps & MySqlWire.CLIENT_SECURE_CONNECTION) != 0) {
                r.skip(r.int1());
            } else {
                r.nulString();
            }
            String database = null;
            if ((caps & MySqlWire.CLIENT_CONNECT_WITH_DB) != 0 && r.remaining() > 0) {
                database = r.nulString();
            }
            String plugin = null;
            if ((caps & MySqlWire.CLIENT_PLUGIN_AUTH) != 0 && r.remaining() > 0) {
                plugin = r.nulString();
            }
            java.util.Map<String, String> attributes = java.util.Map.of();
            if ((caps & MySqlWire.CLIENT_CONNECT_ATTRS) != 0 && r.remaining() > 0) {
                attributes = attributes(r);
            }
            int zstd = 0;
            if ((caps & MySqlWire.CLIENT_ZSTD_COMPRESSION_ALGORITHM) != 0 && r.remaining() > 0) {
                zstd = r.int1();
            }
            if (user == null) {
                return null;
            }
            return new HandshakeResponse(caps, false, user, database, plugin, attributes, zstd);
        }

        /** Pre-4.1 HandshakeResponse320 (capabilities 2, max packet 3, user, auth): not decoded, identity null. */
        private static HandshakeResponse decode320(MySqlReader r, long caps) {
            return new HandshakeResponse(caps & 0xffff, false, null, null, null, java.util.Map.of(), 0);
        }

        /** Connect attribute {@code program_name}, or null. */
        String program() {
            return attributes.get("program_name");
        }

        /**
         * Connect attributes: lenenc total, then key/value lenenc pairs. The first {@link #MAX_ATTRIBUTES} are
         * kept, values cut to {@link #MAX_ATTRIBUTE_CHARS}; program_name is kept wherever it comes. A malformed
         * list gives none.
         */
        static java.util.Map<String, String> attributes(MySqlReader r) {
            long total = r.lenenc();
            java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
            while (total > 0 && !r.failed() && r.remaining() > 0) {
                int before = r.remaining();
                String key = r.lenencString();
                if (key != null && (out.size() < MAX_ATTRIBUTES || "program_name".equals(key))) {
                    String value = r.lenencString();
                    if (value != null) {
                        out.put(key, value.length() > MAX_ATTRIBUTE_CHARS ? value.substring(0, MAX_ATTRIBUTE_CHARS)
                                : value);
                    }
                } else {
                    r.skipLenencString();
                }
                total -= before - r.remaining();
            }
            return r.failed() ? java.util.Map.of() : out;
        }
    }

    /**
     * COM_CHANGE_USER: user, auth response (skipped), database; if more data: charset (2), the auth plugin
     * (CLIENT_PLUGIN_AUTH), connect attributes (CLIENT_CONNECT_ATTRS).
     * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_change_user.html
     *
     * @param authPlugin the plugin named, else what the capabilities imply ({@link MySqlWire#authPlugin})
     * @param program    connect attribute {@code program_name}, or null when the packet carries none
     */
    record ChangeUser(String user, String database, String authPlugin, String program) implements MySqlClientMessage {
        static ChangeUser decode(MySqlReader r, long capabilities) {
            r.int1();
            String user = r.nulString();
            if ((capabilities & MySqlWire.CLIENT_SECURE_CONNECTION) != 0) {
                r.skip(r.int1());
            } else {
                r.nulString();
            }
            String database = r.nulString();
            if (user == null || r.failed()) {
                return null;
            }
            String plugin = null;
            String program = null;
            if (r.remaining() >= 2) {
                r.int2(); // character set
                if ((capabilities & MySqlWire.CLIENT_PLUGIN_AUTH) != 0 && r.remaining() > 0) {
                    plugin = r.nulString();
                }
                if ((capabilities & MySqlWire.CLIENT_CONNECT_ATTRS) != 0 && r.remaining() > 0) {
                    program = HandshakeResponse.attributes(r).get("program_name");
                }
            }
            // A malformed tail leaves the identity, which was read whole.
            return new ChangeUser(user, database, MySqlWire.authPlugin(r.failed() ? null : plugin, capabilities),
                    r.failed() ? null : program);
        }
    }

    /**
     * COM_QUERY text, after the query attributes when CLIENT_QUERY_ATTRIBUTES was negotiated.
     * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query.html
     */
    record Query(String sql, int attributes) implements MySqlClientMessage {
        static Query decode(MySqlReader r, long capabilities) {
            r.int1();
            int attributes = 0;
            if ((capabilities & MySqlWire.CLIENT_QUERY_ATTRIBUTES) != 0) {
                attributes = QueryAttributes.skip(r);
                if (attributes < 0) {
                    return null;
                }
            }
            return new Query(r.restString(), attributes);
        }
    }

    /** The 4-byte statement id that COM_STMT_EXECUTE/CLOSE/RESET/FETCH/SEND_LONG_DATA start with. */
    record StatementRef(long statementId) implements MySqlClientMessage {
        static StatementRef decode(MySqlReader r) {
            r.int1();
            long id = r.int4();
            return r.failed() ? null : new StatementRef(id);
        }

        /** The id alone, or {@link #NONE} when the packet is too short: no message object per execution. */
        static long id(MySqlReader r) {
            r.int1();
            long id = r.int4();
            return r.failed() ? NONE : id;
        }

        /** No id: ids are unsigned 32-bit, so never negative. */
        static final long NONE = -1;
    }

    /**
     * COM_FIELD_LIST: the table NUL-terminated, then the column wildcard (the rest, often empty).
     * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_field_list.html
     */
    record FieldList(String table, String wildcard) implements MySqlClientMessage {
        static FieldList decode(MySqlReader r) {
            r.int1();
            String table = r.nulString();
            String wildcard = r.restString();
            return table == null || r.failed() ? null : new FieldList(table, wildcard);
        }

        /** What the record's text shows after {@code COM_FIELD_LIST}: the table, and the wildcard if one was sent. */
        String argument() {
            return wildcard == null || wildcard.isEmpty() ? table : table + " " + wildcard;
        }
    }

    /** COM_INIT_DB: the schema name is the rest of the packet. */
    record InitDb(String schema) implements MySqlClientMessage {
        static InitDb decode(MySqlReader r) {
            r.int1();
            return new InitDb(r.restString());
        }
    }
}
