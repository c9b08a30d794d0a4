package io.dbwire.core.protocol.mysql;

import static io.dbwire.core.protocol.mysql.MySqlBytes.err;
import static io.dbwire.core.protocol.mysql.MySqlBytes.ok;
import static io.dbwire.core.protocol.mysql.MySqlBytes.payload;
import static io.dbwire.core.protocol.mysql.MySqlBytes.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import org.junit.jupiter.api.Test;

/** {@code session.auth_method}: the plugin after every AuthSwitchRequest, at login and at COM_CHANGE_USER. */
class MySqlAuthPluginTest {
    /** A MySQL 5.0/5.1 client: 4.1 protocol and secure connection, but no plugin authentication. */
    private static final long PRE_PLUGIN = 1L | MySqlWire.CLIENT_CONNECT_WITH_DB | MySqlWire.CLIENT_PROTOCOL_41
            | MySqlWire.CLIENT_SECURE_CONNECTION | MySqlWire.CLIENT_MULTI_RESULTS;

    @Test
    void aServerWithoutPluginAuthImpliesNativePasswordFromSecureConnection() {
        MySqlScript.Result r = MySqlScript.connection()
                .server(0, greeting50())
                .client(10, payload()
                        .int4(PRE_PLUGIN)               // capabilities: no CLIENT_PLUGIN_AUTH
                        .int4(16 << 20)                 // max packet size
                        .int1(8)                        // character set
                        .zeros(23)                      // filler
                        .nul("legacy")                  // user
                        .int1(20).zeros(20)             // 1-byte length + 4.1 scramble answer: never read
                        .nul("shop")                    // database
                        .packet(1))
                .server(20, ok(2, 0, 2))
                .run();
        assertThat(r.records()).singleElement().satisfies(l -> {
            assertThat(l.status()).isEqualTo(RecordStatus.OK);
            assertThat(l.session().authMethod()).isEqualTo("mysql_native_password");
        });
    }

    @Test
    void theBareOldPasswordSwitchIsMysqlOldPassword() {
        MySqlScript.Result r = MySqlScript.connection()
                .server(0, greeting50())
                .client(10, payload().int4(PRE_PLUGIN).int4(16 << 20).int1(8).zeros(23).nul("legacy")
                        .int1(20).zeros(20).nul("shop").packet(1))
                .server(20, payload().int1(0xfe).packet(2))           // 0xFE alone: send the 3.23 scramble
                .client(30, payload().zeros(8).int1(0).packet(3))     // old scramble answer: never read
                .server(40, ok(4, 0, 2))
                .run();
        assertThat(r.records()).singleElement()
                .satisfies(l -> assertThat(l.session().authMethod()).isEqualTo("mysql_old_password"));
    }

    @Test
    void switchToClearPasswordIsWhatTheLoginShowsAndFlagsTheClearTextPassword() {
        MySqlScript.Result r = MySqlScript.connection()
                .server(0, MySqlFixtures.greeting(MySqlFixtures.SERVER_ALL))
                .client(10, MySqlFixtures.response(MySqlFixtures.MODERN, "ldapuser", "shop", "mysql"))
                .server(20, payload().int1(0xfe).nul("mysql_clear_password").packet(2)) // AuthSwitchRequest, no data
                .client(30, payload().nul("secret").packet(3))       // the password in clear: counted, never read
                .server(40, ok(4, 0, 2))
                .client(1000, query("SELECT 1"))
                .server(1100, ok(1, 0, 2))
                .run();
        TransactionRecord login = r.records().get(0);
        assertThat(login.kind()).isEqualTo(RecordKind.LOGIN);
        assertThat(login.session().authMethod()).isEqualTo("mysql_clear_password");
        assertThat(login.session().clearTextPassword()).isTrue(); // what tls_downgrade alerts on
        assertThat(r.records().get(1).session().authMethod()).isEqualTo("mysql_clear_password");
        assertThat(r.records().toString()).doesNotContain("secret");
    }

    @Test
    void changeUserReadsItsPluginAndTheSwitchAndKeepsTheApplication() {
        MySqlScript.Result r = MySqlFixtures.login(MySqlScript.connection(), MySqlFixtures.MODERN)
                .client(1000, changeUser("erin", "hr", "mysql_native_password"))
                .server(1100, payload().int1(0xfe).nul("client_ed25519").zeros(32).packet(1)) // AuthSwitchRequest
                .client(1200, payload().zeros(64).packet(2))                                // ed25519 signature
                .server(1300, ok(3, 0, 2))
                .client(2000, query("SELECT 1"))
                .server(2100, ok(1, 0, 2))
                .run();
        assertThat(r.records()).extracting(TransactionRecord::kind)
                .containsExactly(RecordKind.LOGIN, RecordKind.LOGIN, RecordKind.STATEMENT);
        assertThat(r.records().get(0).session().authMethod()).isEqualTo("caching_sha2_password");
        TransactionRecord change = r.records().get(1);
        assertThat(change.status()).isEqualTo(RecordStatus.OK);
        assertThat(change.session().user()).isEqualTo("erin");
        assertThat(change.session().authMethod()).isEqualTo("client_ed25519");
        assertThat(change.session().application()).isEqualTo("orders-api"); // from the first handshake
        TransactionRecord after = r.records().get(2);
        assertThat(after.session().user()).isEqualTo("erin");
        assertThat(after.session().database()).isEqualTo("hr");
        assertThat(after.session().authMethod()).isEqualTo("client_ed25519");
    }

    @Test
    void aRefusedChangeUserIsRecordedUnderTheAttemptedUser() {
        MySqlScript.Result r = MySqlFixtures.login(MySqlScript.connection(), MySqlFixtures.MODERN)
                .client(1000, changeUser("mallory", "payroll", "mysql_clear_password"))
                .server(1100, err(1, 1045, "28000", "Access denied for user 'mallory'@'10.0.0.5'"))
                .client(2000, query("SELECT 1"))
                .server(2100, ok(1, 0, 2))
                .run();
        TransactionRecord refused = r.records().get(1);
        assertThat(refused.kind()).isEqualTo(RecordKind.LOGIN);
        assertThat(refused.status()).isEqualTo(RecordStatus.ERROR);
        assertThat(refused.error().code()).isEqualTo("1045");
        assertThat(refused.session().user()).isEqualTo("mallory");
        assertThat(refused.session().database()).isEqualTo("payroll");
        assertThat(refused.session().authMethod()).isEqualTo("mysql_clear_password");
        assertThat(refused.session().clearTextPassword()).isTrue();
        // The session itself did not change hands.
        TransactionRecord after = r.records().get(2);
        assertThat(after.session().user()).isEqualTo("alice");
        assertThat(after.session().authMethod()).isEqualTo("caching_sha2_password");
        assertThat(r.count(MySqlEvent.LOGINS_FAILED)).isEqualTo(1);
    }

    @Test
    void aChangeUserWithoutPluginOnAPrePluginServerIsNativePassword() {
        MySqlScript.Result r = MySqlScript.connection()
                .server(0, greeting50())
                .client(10, payload().int4(PRE_PLUGIN).int4(16 << 20).int1(8).zeros(23).nul("legacy")
                        .int1(20).zeros(20).nul("shop").packet(1))
                .server(20, ok(2, 0, 2))
                .client(1000, payload().int1(MySqlWire.COM_CHANGE_USER).nul("other").int1(20).zeros(20)
                        .nul("").packet(0))             // no charset, no plugin: a 5.0 client
                .server(1100, ok(1, 0, 2))
                .run();
        TransactionRecord change = r.records().get(1);
        assertThat(change.session().user()).isEqualTo("other");
        assertThat(change.session().authMethod()).isEqualTo("mysql_native_password");
    }

    /** COM_CHANGE_USER: user, 1-byte length + scramble answer, database, charset, plugin, connect attributes. */
    private static byte[] changeUser(String user, String database, String plugin) {
        byte[] attrs = payload().lenencStr("_client_name").lenencStr("libmariadb").build();
        return payload()
                .int1(MySqlWire.COM_CHANGE_USER)
                .nul(user)
                .int1(20).zeros(20)                     // auth response: never read
                .nul(database)
                .int2(0xff)                             // character set
                .nul(plugin)                            // CLIENT_PLUGIN_AUTH
                .lenenc(attrs.length).bytes(attrs)      // CLIENT_CONNECT_ATTRS, without program_name
                .packet(0);
    }

    /** A MySQL 5.0 greeting: 4.1 protocol with secure connection, no plugin name. */
    private static byte[] greeting50() {
        long caps = PRE_PLUGIN;
        return payload()
                .int1(10)                               // protocol version
                .nul("5.0.96")                          // server version
                .int4(3)                                // connection id
                .str("abcdefgh")                        // scramble part 1
                .int1(0)                                // filler
                .int2((int) (caps & 0xffff))            // capabilities, lower
                .int1(8)                                // character set latin1
                .int2(0x0002)                           // status: autocommit
                .int2((int) ((caps >>> 16) & 0xffff))   // capabilities, upper
                .int1(0)                                // no auth-plugin-data length
                .zeros(10)                              // reserved
                .str("ijklmnopqrst").int1(0)            // scramble part 2 (12 + NUL)
                .packet(0);
    }
}
