package io.dbwire.core.protocol.mysql;

/**
 * Constants of the MySQL client/server protocol, as named in the MySQL source documentation
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/PAGE_PROTOCOL.html) and MariaDB's
 * (https://mariadb.com/kb/en/clientserver-protocol/). All integers on the wire are little-endian.
 *
 * <pre>
 * packet:  +---------+-----+----------------+
 *          | len (3) | seq | payload (len)  |   len = 0xFFFFFF: the payload continues in the next packet
 *          +---------+-----+----------------+
 * </pre>
 */
final class MySqlWire {
    static final int HEADER = 4;
    /** A packet of this payload length is continued by the next one (the 16 MiB split). */
    static final int MAX_PAYLOAD = 0xFFFFFF;
    /** Compressed-protocol header: compressed length (3), compressed seq (1), uncompressed length (3). */
    static final int COMPRESSED_HEADER = 7;

    // Capability flags (https://dev.mysql.com/doc/dev/mysql-server/latest/group__group__cs__capabilities__flags.html)
    static final long CLIENT_CONNECT_WITH_DB = 1L << 3;
    static final long CLIENT_COMPRESS = 1L << 5;
    static final long CLIENT_LOCAL_FILES = 1L << 7;
    static final long CLIENT_PROTOCOL_41 = 1L << 9;
    static final long CLIENT_SSL = 1L << 11;
    static final long CLIENT_SECURE_CONNECTION = 1L << 15;
    static final long CLIENT_MULTI_STATEMENTS = 1L << 16;
    static final long CLIENT_MULTI_RESULTS = 1L << 17;
    static final long CLIENT_PLUGIN_AUTH = 1L << 19;
    static final long CLIENT_CONNECT_ATTRS = 1L << 20;
    static final long CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 1L << 21;
    static final long CLIENT_SESSION_TRACK = 1L << 23;
    static final long CLIENT_DEPRECATE_EOF = 1L << 24;
    static final long CLIENT_ZSTD_COMPRESSION_ALGORITHM = 1L << 26;
    static final long CLIENT_QUERY_ATTRIBUTES = 1L << 27;
    /** MySQL 8: a result set's column count may be followed by a metadata_follows byte (0: no definitions). */
    static final long CLIENT_OPTIONAL_RESULTSET_METADATA = 1L << 25;
    /**
     * MariaDB 10.6+ extended capability (https://mariadb.com/kb/en/result-set-packets/): the column count is
     * followed by a "metadata follows" byte; 0 means the client cached the column definitions of this prepared
     * statement and the server sends none.
     */
    static final long MARIADB_CLIENT_CACHE_METADATA = 1L << 36;
    /** Classic EOF payload (0xFE, warnings 2, status 2); an OK with header 0xFE is at least 7 bytes. */
    static final int EOF_PAYLOAD = 5;

    // Server status flags
    static final int SERVER_STATUS_CURSOR_EXISTS = 0x0040;
    static final int SERVER_MORE_RESULTS_EXISTS = 0x0008;
    static final int SERVER_SESSION_STATE_CHANGED = 0x4000;
    /** Session-state tracker entry carrying the new default schema. */
    static final int SESSION_TRACK_SCHEMA = 1;

    // Response packet markers
    static final int OK = 0x00;
    static final int AUTH_MORE_DATA = 0x01;
    static final int LOCAL_INFILE = 0xFB;
    static final int EOF = 0xFE;
    static final int ERR = 0xFF;
    /** An EOF packet's payload is 5 bytes (0xFE, warnings, status); a row starting 0xFE is at least 9. */
    static final int EOF_MAX_PAYLOAD = 9;
    /** MariaDB progress report: an ERR-marked packet with this error code, not an error. */
    static final int PROGRESS_REPORT_CODE = 0xFFFF;
    static final int HANDSHAKE_V10 = 10;

    // Command bytes (https://dev.mysql.com/doc/dev/mysql-server/latest/my__command_8h.html)
    static final int COM_SLEEP = 0x00;
    static final int COM_QUIT = 0x01;
    static final int COM_INIT_DB = 0x02;
    static final int COM_QUERY = 0x03;
    static final int COM_FIELD_LIST = 0x04;
    static final int COM_CREATE_DB = 0x05;
    static final int COM_DROP_DB = 0x06;
    static final int COM_REFRESH = 0x07;
    static final int COM_SHUTDOWN = 0x08;
    static final int COM_STATISTICS = 0x09;
    static final int COM_PROCESS_INFO = 0x0A;
    static final int COM_CONNECT = 0x0B;
    static final int COM_PROCESS_KILL = 0x0C;
    static final int COM_DEBUG = 0x0D;
    static final int COM_PING = 0x0E;
    static final int COM_TIME = 0x0F;
    static final int COM_DELAYED_INSERT = 0x10;
    static final int COM_CHANGE_USER = 0x11;
    static final int COM_BINLOG_DUMP = 0x12;
    static final int COM_TABLE_DUMP = 0x13;
    static final int COM_CONNECT_OUT = 0x14;
    static final int COM_REGISTER_SLAVE = 0x15;
    static final int COM_STMT_PREPARE = 0x16;
    static final int COM_STMT_EXECUTE = 0x17;
    static final int COM_STMT_SEND_LONG_DATA = 0x18;
    static final int COM_STMT_CLOSE = 0x19;
    static final int COM_STMT_RESET = 0x1A;
    static final int COM_SET_OPTION = 0x1B;
    static final int COM_STMT_FETCH = 0x1C;
    static final int COM_DAEMON = 0x1D;
    static final int COM_BINLOG_DUMP_GTID = 0x1E;
    static final int COM_RESET_CONNECTION = 0x1F;
    /** COM_STMT_SEND_LONG_DATA head: command 1, statement id 4, parameter id 2; the data follows. */
    static final int LONG_DATA_HEAD = 7;
    /** COM_STMT_EXECUTE head: command 1, statement id 4, flags 1, iteration count 4; the parameters follow. */
    static final int EXECUTE_HEAD = 10;
    /** MariaDB COM_STMT_BULK_EXECUTE. */
    static final int COM_STMT_BULK_EXECUTE = 0xFA;

    /** COM_STMT_EXECUTE statement id meaning "the statement prepared last" (MariaDB pipelined prepare+execute). */
    static final long LAST_PREPARED_ID = 0xFFFFFFFFL;

    private MySqlWire() {}

    static int int2(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    static int int3(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16;
    }

    static long int4(byte[] b, int at) {
        return ((long) int2(b, at)) | ((long) int2(b, at + 2)) << 16;
    }

    /** Name used as statement text and operation for commands that carry no SQL, e.g. {@code PING}. */
    static String commandName(int command) {
        return switch (command) {
            case COM_SLEEP -> "SLEEP";
            case COM_QUIT -> "QUIT";
            case COM_INIT_DB -> "INIT_DB";
            case COM_QUERY -> "QUERY";
            case COM_FIELD_LIST -> "FIELD_LIST";
            case COM_CREATE_DB -> "CREATE_DB";
            case COM_DROP_DB -> "DROP_DB";
            case COM_REFRESH -> "REFRESH";
            case COM_SHUTDOWN -> "SHUTDOWN";
            case COM_STATISTICS -> "STATISTICS";
            case COM_PROCESS_INFO -> "PROCESS_INFO";
            case COM_PROCESS_KILL -> "PROCESS_KILL";
            case COM_DEBUG -> "DEBUG";
            case COM_PING -> "PING";
            case COM_CHANGE_USER -> "CHANGE_USER";
            case COM_BINLOG_DUMP -> "BINLOG_DUMP";
            case COM_REGISTER_SLAVE -> "REGISTER_SLAVE";
            case COM_STMT_PREPARE -> "PREPARE";
            case COM_STMT_EXECUTE -> "EXECUTE";
            case COM_STMT_SEND_LONG_DATA -> "SEND_LONG_DATA";
            case COM_STMT_CLOSE -> "CLOSE_STMT";
            case COM_STMT_RESET -> "RESET_STMT";
            case COM_SET_OPTION -> "SET_OPTION";
            case COM_STMT_FETCH -> "FETCH";
            case COM_BINLOG_DUMP_GTID -> "BINLOG_DUMP_GTID";
            case COM_RESET_CONNECTION -> "RESET_CONNECTION";
            case COM_STMT_BULK_EXECUTE -> "BULK_EXECUTE";
            default -> "UNKNOWN";
        };
    }

    /** The 4.1 scramble scheme, implied by CLIENT_SECURE_CONNECTION when no plugin is named (MySQL 5.0/5.1). */
    static final String NATIVE_PASSWORD = "mysql_native_password";
    /** The pre-4.1 scramble scheme: no CLIENT_SECURE_CONNECTION, or the bare 0xFE old-password switch request. */
    static final String OLD_PASSWORD = "mysql_old_password";

    /**
     * The auth plugin in effect: the one named, else what the capabilities imply — servers before plugin
     * authentication (MySQL 5.0/5.1) name none, and CLIENT_SECURE_CONNECTION then means the 4.1 scheme, now called
     * {@code mysql_native_password}.
     */
    static String authPlugin(String named, long capabilities) {
        if (named != null && !named.isEmpty()) {
            return named;
        }
        return (capabilities & CLIENT_SECURE_CONNECTION) != 0 ? NATIVE_PASSWORD : OLD_PASSWORD;
    }
}
