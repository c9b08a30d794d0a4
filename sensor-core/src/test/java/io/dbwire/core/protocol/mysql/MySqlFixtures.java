package io.dbwire.core.protocol.mysql;

import static io.dbwire.core.protocol.mysql.MySqlBytes.payload;

/** Connection-phase packets shared by the tests, each commented field by field. */
final class MySqlFixtures {
    /** What a MySQL 8 client sends (bit 0, CLIENT_LONG_PASSWORD a.k.a. CLIENT_MYSQL, set). */
    static final long MODERN = 1L | MySqlWire.CLIENT_CONNECT_WITH_DB | MySqlWire.CLIENT_PROTOCOL_41
            | MySqlWire.CLIENT_SECURE_CONNECTION | MySqlWire.CLIENT_MULTI_STATEMENTS | MySqlWire.CLIENT_MULTI_RESULTS
            | MySqlWire.CLIENT_PLUGIN_AUTH | MySqlWire.CLIENT_CONNECT_ATTRS
            | MySqlWire.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | MySqlWire.CLIENT_SESSION_TRACK
            | MySqlWire.CLIENT_DEPRECATE_EOF | MySqlWire.CLIENT_LOCAL_FILES;
    static final long SERVER_ALL = MODERN | MySqlWire.CLIENT_COMPRESS | MySqlWire.CLIENT_SSL
            | MySqlWire.CLIENT_QUERY_ATTRIBUTES | MySqlWire.CLIENT_ZSTD_COMPRESSION_ALGORITHM
            | MySqlWire.CLIENT_OPTIONAL_RESULTSET_METADATA;

    private MySqlFixtures() {}

    /**
     * The Handshake v10 example of the MySQL documentation (page_protocol_connection_phase_packets_protocol_
     * handshake_v10): server 5.5.2-m2, connection id 11, no plugin name after the scramble.
     */
    static final byte[] DOC_HANDSHAKE = MySqlBytes.hex(
            "36 00 00 00"                                  // length 54, sequence 0
            + "0a"                                         // protocol version 10
            + "35 2e 35 2e 32 2d 6d 32 00"                 // server version "5.5.2-m2" NUL
            + "0b 00 00 00"                                // connection id 11
            + "64 76 48 40 49 2d 43 4a"                    // auth-plugin-data-part-1 (scramble: skipped)
            + "00"                                         // filler
            + "ff f7"                                      // capability flags, lower 2 bytes
            + "08"                                         // character set latin1
            + "02 00"                                      // status flags: autocommit
            + "0f 80"                                      // capability flags, upper 2 bytes
            + "15"                                         // auth-plugin-data length 21
            + "00 00 00 00 00 00 00 00 00 00"              // reserved
            + "2a 34 64 7c 63 5a 77 6b 34 5e 5d 3a 00");   // auth-plugin-data-part-2, 13 bytes

    /**
     * The HandshakeResponse41 example of the MySQL documentation: user "pam", a 20-byte scramble response,
     * database "test", plugin mysql_native_password.
     */
    static final byte[] DOC_RESPONSE = MySqlBytes.hex(
            "54 00 00 01"                                  // length 84, sequence 1
            + "8d a6 0f 00"                                // capabilities (PROTOCOL_41, CONNECT_WITH_DB, PLUGIN_AUTH…)
            + "00 00 00 01"                                // max packet size 16 MiB
            + "08"                                         // character set
            + "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00" // filler, 23 bytes
            + "70 61 6d 00"                                // user "pam" NUL
            + "14 ab 09 ee f6 bc b1 32 3e 61 14 38 65 c0 99 1d 95 7d 75 d4 47" // 20-byte auth response
            + "74 65 73 74 00"                             // database "test" NUL
            + "6d 79 73 71 6c 5f 6e 61 74 69 76 65 5f 70 61 73 73 77 6f 72 64 00"); // plugin name

    /** A MySQL 8 greeting offering {@code caps}, caching_sha2_password. */
    static byte[] greeting(long caps) {
        return payload()
                .int1(10)                       // protocol version
                .nul("8.0.40")                  // server version
                .int4(77)                       // connection id
                .str("abcdefgh")                // auth-plugin-data-part-1
                .int1(0)                        // filler
                .int2((int) (caps & 0xffff))    // capabilities, lower
                .int1(0xff)                     // character set utf8mb4
                .int2(0x0002)                   // status: autocommit
                .int2((int) ((caps >>> 16) & 0xffff)) // capabilities, upper
                .int1(21)                       // auth-plugin-data length
                .zeros(10)                      // reserved
                .str("ijklmnopqrst").int1(0)    // auth-plugin-data-part-2 (12 + NUL)
                .nul("caching_sha2_password")   // auth plugin
                .packet(0);
    }

    /** HandshakeResponse41 with a lenenc auth response, database and connect attributes. */
    static byte[] response(long caps, String user, String database, String program) {
        MySqlBytes attrs = payload().lenencStr("_client_name").lenencStr("libmysql")
                .lenencStr("program_name").lenencStr(program);
        byte[] a = attrs.build();
        MySqlBytes b = payload()
                .int4(caps)                     // client capabilities
                .int4(16 << 20)                 // max packet size
                .int1(0xff)                     // character set
                .zeros(23)                      // filler
                .nul(user)                      // user
                .lenenc(32).str("S".repeat(32)) // auth response (scramble hash): never read
                .nul(database)                  // database (CLIENT_CONNECT_WITH_DB)
                .nul("caching_sha2_password")   // client plugin
                .lenenc(a.length).bytes(a);     // connect attributes
        if ((caps & MySqlWire.CLIENT_ZSTD_COMPRESSION_ALGORITHM) != 0) {
            b.int1(3);                          // zstd compression level
        }
        return b.packet(1);
    }

    /**
     * A MariaDB 10.11 greeting: capability bit 0 (CLIENT_MYSQL) clear, so the last 4 of the 10 reserved bytes
     * carry MariaDB's extended capabilities ({@code caps >>> 32}); mysql_native_password.
     */
    static byte[] mariaGreeting(long caps) {
        return payload()
                .int1(10)                       // protocol version
                .nul("5.5.5-10.11.19-MariaDB")  // server version (the 5.5.5- prefix MariaDB keeps for old clients)
                .int4(5)                        // connection id
                .str("abcdefgh")                // auth-plugin-data-part-1
                .int1(0)                        // filler
                .int2((int) (caps & 0xfffe))    // capabilities, lower (bit 0 clear: MariaDB)
                .int1(0x2d)                     // character set utf8mb4_general_ci
                .int2(0x0002)                   // status: autocommit
                .int2((int) ((caps >>> 16) & 0xffff)) // capabilities, upper
                .int1(21)                       // auth-plugin-data length
                .zeros(6)                       // reserved
                .int4(caps >>> 32)              // MariaDB extended capabilities
                .str("ijklmnopqrst").int1(0)    // auth-plugin-data-part-2 (12 + NUL)
                .nul("mysql_native_password")   // auth plugin
                .packet(0);
    }

    /** A Connector/J-like HandshakeResponse41 to a MariaDB server: extended capabilities in the filler's tail. */
    static byte[] mariaResponse(long caps, String user, String database) {
        return payload()
                .int4(caps & 0xfffffffeL)       // client capabilities, lower 32 bits (bit 0 clear)
                .int4(16 << 20)                 // max packet size
                .int1(0x2d)                     // character set
                .zeros(19)                      // filler
                .int4(caps >>> 32)              // MariaDB extended capabilities
                .nul(user)                      // user
                .lenenc(20).str("S".repeat(20)) // auth response: never read
                .nul(database)                  // database (CLIENT_CONNECT_WITH_DB)
                .nul("mysql_native_password")   // client plugin
                .packet(1);
    }

    /** MariaDB login with {@code caps} on both sides: greeting, response, OK. */
    static MySqlScript mariaLogin(MySqlScript s, long caps) {
        return s.server(0, mariaGreeting(caps)).client(100, mariaResponse(caps, "app", "shop"))
                .server(150, MySqlBytes.ok(2, 0, 2));
    }

    /** SSLRequest: the first 32 bytes of a HandshakeResponse41, with CLIENT_SSL. */
    static byte[] sslRequest(long caps) {
        return payload().int4(caps | MySqlWire.CLIENT_SSL).int4(16 << 20).int1(0xff).zeros(23).packet(1);
    }

    /** caching_sha2_password fast path: AuthMoreData 0x03 (fast_auth_success), then OK. */
    static MySqlScript login(MySqlScript s, long caps) {
        return s.server(0, greeting(SERVER_ALL))
                .client(100, response(caps, "alice", "shop", "orders-api"))
                .server(150, payload().int1(0x01).int1(0x03).packet(2), MySqlBytes.ok(3, 0, 2));
    }
}
