package io.dbwire.core.protocol.mysql;

/**
 * Server packets the session reads fields from, one immutable type each, decoded within their fenced body.
 * {@code decode} returns null when the body does not hold the fields (a counted violation for the caller).
 * Rows, column definitions and auth data are never decoded: they are counted.
 */
sealed interface MySqlServerMessage {

    /**
     * Initial Handshake v10. https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_v10.html
     * The scramble (auth-plugin-data) is skipped, never kept.
     *
     * @param capabilities lower and upper capability words; MariaDB's extended capabilities in bits 32..63
     */
    record Handshake(String serverVersion, long connectionId, long capabilities, String authPlugin)
            implements MySqlServerMessage {
        static Handshake decode(MySqlReader r) {
            if (r.int1() != MySqlWire.HANDSHAKE_V10) {
                return null;
            }
            String version = r.nulString();
            long id = r.int4();
            r.skip(8); // auth-plugin-data-part-1
            r.skip(1); // filler
            long caps = r.int2();
            if (r.failed()) {
                return null;
            }
            String plugin = null;
            if (r.remaining() > 0) {
                r.skip(1); // character set
                r.skip(2); // status flags
                caps |= (long) r.int2() << 16;
                int authLen = r.int1();
                r.skip(6); // reserved
                long mariaCaps = r.int4(); // MariaDB: extended capabilities; MySQL: reserved zeros
                if ((caps & 1L) == 0) { // CLIENT_MYSQL clear: a MariaDB server
                    caps |= mariaCaps << 32;
                }
                if ((caps & MySqlWire.CLIENT_SECURE_CONNECTION) != 0) {
                    r.skip(Math.max(13, authLen - 8)); // auth-plugin-data-part-2
                }
                if ((caps & MySqlWire.CLIENT_PLUGIN_AUTH) != 0 && r.remaining() > 0) {
                    plugin = r.nulString();
                }
            }
            return r.failed() && version == null ? null : new Handshake(version, id, caps, plugin);
        }
    }

    /**
     * OK packet (header 0x00, or 0xFE ending a result set under CLIENT_DEPRECATE_EOF).
     * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_ok_packet.html
     * An OK ends nearly every command: a flyweight, one per connection refilled by each decode (fields valid until
     * the next), so the fast path makes no object.
     */
    final class Ok implements MySqlServerMessage {
        private long affectedRows;
        private long lastInsertId;
        private int status;
        private int warnings;
        private String schema;

        /** False when the body does not hold an OK (the fields are then meaningless). */
        boolean decode(MySqlReader r, long capabilities) {
            r.int1();
            long affected = r.lenenc();
            lastInsertId = r.lenenc();
            status = 0;
            warnings = 0;
            schema = null;
            if ((capabilities & MySqlWire.CLIENT_PROTOCOL_41) != 0) {
                status = r.int2();
                warnings = r.int2();
            }
            if (r.failed()) {
                return false;
            }
            affectedRows = Math.max(0, affected);
            if ((capabilities & MySqlWire.CLIENT_SESSION_TRACK) != 0 && r.remaining() > 0) {
                r.skipLenencString(); // info
                if ((status & MySqlWire.SERVER_SESSION_STATE_CHANGED) != 0) {
                    schema = trackedSchema(r);
                }
            }
            return true;
        }

        long affectedRows() {
            return affectedRows;
        }

        long lastInsertId() {
            return lastInsertId;
        }

        int status() {
            return status;
        }

        int warnings() {
            return warnings;
        }

        /** New default schema from the session-state tracker, or null when not reported. */
        String schema() {
            return schema;
        }

        private static String trackedSchema(MySqlReader r) {
            long total = r.lenenc();
            String schema = null;
            while (!r.failed() && total > 0 && r.remaining() > 0) {
                int before = r.remaining();
                int type = r.int1();
                long len = r.lenenc();
                if (type == MySqlWire.SESSION_TRACK_SCHEMA) {
                    schema = r.lenencString();
                } else {
                    r.skip(len);
                }
                total -= before - r.remaining();
            }
            return r.failed() ? null : schema;
        }
    }

    /**
     * AuthSwitchRequest: 0xFE, the plugin name NUL-terminated, its data (a scramble: skipped, never kept); a bare
     * 0xFE is the old-password switch of servers before plugin authentication.
     * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_switch_request.html
     */
    record AuthSwitchRequest(String plugin) implements MySqlServerMessage {
        static AuthSwitchRequest decode(MySqlReader r) {
            r.int1();
            if (r.remaining() == 0) {
                return new AuthSwitchRequest(MySqlWire.OLD_PASSWORD);
            }
            String plugin = r.nulString();
            return r.failed() || plugin == null || plugin.isEmpty() ? null : new AuthSwitchRequest(plugin);
        }
    }

    /**
     * ERR packet. https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_err_packet.html
     * The SQLSTATE ('#' marker + 5 characters) is read past, not kept: records carry the number and message.
     */
    record Err(int code, String sqlState, String message) implements MySqlServerMessage {
        static Err decode(MySqlReader r, long capabilities) {
            r.int1();
            int code = r.int2();
            if (r.failed()) {
                return null;
            }
            if (code == MySqlWire.PROGRESS_REPORT_CODE) {
                return new Err(code, null, null);
            }
            String state = null;
            // The '#' marker is absent in ERRs sent before the handshake (e.g. 1129 "Host ... is blocked").
            if ((capabilities & MySqlWire.CLIENT_PROTOCOL_41) != 0 && r.remaining() >= 6 && r.peek() == '#') {
                r.int1();
                state = r.fixedString(5);
            }
            return new Err(code, state, r.restString());
        }

        boolean progressReport() {
            return code == MySqlWire.PROGRESS_REPORT_CODE;
        }
    }

    /** EOF packet (payload under 9 bytes): warnings and status flags. */
    record Eof(int warnings, int status) implements MySqlServerMessage {
        static Eof decode(MySqlReader r) {
            r.int1();
            int warnings = r.remaining() >= 4 ? r.int2() : 0;
            int status = r.remaining() >= 2 ? r.int2() : 0;
            return new Eof(warnings, status);
        }

        /** The status flags alone, without a message object (0 when the packet is too short to hold them). */
        static int status(MySqlReader r) {
            r.int1();
            if (r.remaining() >= 4) {
                r.int2();
            }
            return r.remaining() >= 2 ? r.int2() : 0;
        }
    }

    /**
     * COM_STMT_PREPARE_OK: statement id and the number of parameter and column definitions that follow.
     * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_prepare.html
     */
    record PrepareOk(long statementId, int columns, int params, boolean metadataFollows) implements MySqlServerMessage {
        /**
         * After id, columns and params: a reserved byte and the warning count, then, under MySQL's
         * CLIENT_OPTIONAL_RESULTSET_METADATA, a metadata_follows byte; 0 (RESULTSET_METADATA_NONE) means no
         * parameter or column definitions follow.
         */
        static PrepareOk decode(MySqlReader r, long capabilities) {
            r.int1();
            long id = r.int4();
            int columns = r.int2();
            int params = r.int2();
            if (r.failed()) {
                return null;
            }
            boolean metadata = true;
            if ((capabilities & MySqlWire.CLIENT_OPTIONAL_RESULTSET_METADATA) != 0 && r.remaining() >= 4) {
                r.skip(3); // reserved, warning count
                metadata = r.int1() != 0;
            }
            return new PrepareOk(id, columns, params, metadata);
        }
    }
}
