package io.dbwire.core.protocol.mysql;

import static io.dbwire.core.protocol.mysql.MySqlBytes.payload;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.record.RecordJson;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import org.junit.jupiter.api.Test;

class MySqlConnectionPhaseTest {

    @Test
    void documentationHandshakeAndResponseGiveALoginWithIdentity() {
        MySqlScript.Result r = MySqlScript.connection()
                .server(0, MySqlFixtures.DOC_HANDSHAKE)
                .client(100, MySqlFixtures.DOC_RESPONSE)
                .server(300, MySqlBytes.ok(2, 0, 2))
                .run();
        assertThat(r.records()).singleElement().satisfies(l -> {
            assertThat(l.kind()).isEqualTo(RecordKind.LOGIN);
            assertThat(l.status()).isEqualTo(RecordStatus.OK);
            assertThat(l.session().user()).isEqualTo("pam");
            assertThat(l.session().database()).isEqualTo("test");
            assertThat(l.request().bytes()).isEqualTo(88);
            assertThat(l.response().bytes()).isEqualTo(11);
            assertThat(l.response().serverUs()).isEqualTo(200);
            assertThat(l.protocol()).isEqualTo("mysql");
        });
        assertThat(r.count(MySqlEvent.SEQUENCE_VIOLATION)).isZero();
        assertThat(r.count(MySqlEvent.LOGINS_OK)).isEqualTo(1);
    }

    @Test
    void cachingSha2FastPathLoginCarriesProgramName() {
        MySqlScript.Result r = MySqlFixtures.login(MySqlScript.connection(), MySqlFixtures.MODERN).run();
        TransactionRecord login = r.records().get(0);
        assertThat(login.status()).isEqualTo(RecordStatus.OK);
        assertThat(login.session().user()).isEqualTo("alice");
        assertThat(login.session().application()).isEqualTo("orders-api");
        assertThat(RecordJson.toJson(login)).doesNotContain("SSSS");
    }

    @Test
    void cachingSha2FullPathWithPublicKeyExchange() {
        MySqlScript.Result r = MySqlScript.connection()
                .server(0, MySqlFixtures.greeting(MySqlFixtures.SERVER_ALL))
                .client(10, MySqlFixtures.response(MySqlFixtures.MODERN, "bob", "shop", "cli"))
                .server(20, payload().int1(0x01).int1(0x04).packet(2))        // perform_full_authentication
                .client(30, payload().int1(0x02).packet(3))                   // request the server's public key
                .server(40, payload().int1(0x01).str("-----BEGIN PUBLIC KEY-----\nMIIB…\n").packet(4))
                .client(50, payload().bytes(new byte[256]).packet(5))         // RSA-encrypted password
                .server(60, MySqlBytes.ok(6, 0, 2))
                .run();
        assertThat(r.records()).singleElement().satisfies(l -> {
            assertThat(l.status()).isEqualTo(RecordStatus.OK);
            assertThat(l.request().bytes()).isEqualTo(MySqlFixtures.response(MySqlFixtures.MODERN, "bob", "shop",
                    "cli").length + 5 + 260);
        });
        assertThat(r.count(MySqlEvent.SEQUENCE_VIOLATION)).isZero();
    }

    @Test
    void authSwitchThenAccessDenied() {
        MySqlScript.Result r = MySqlScript.connection()
                .server(0, MySqlFixtures.greeting(MySqlFixtures.SERVER_ALL))
                .client(10, MySqlFixtures.response(MySqlFixtures.MODERN, "mallory", "shop", "x"))
                .server(20, payload().int1(0xfe).nul("mysql_native_password").str("12345678901234567890")
                        .int1(0).packet(2))                                   // AuthSwitchRequest
                .client(30, payload().bytes(new byte[20]).packet(3))          // scramble answer: never read
                .server(40, MySqlBytes.err(4, 1045, "28000",
                        "Access denied for user 'mallory'@'10.0.0.5' (using password: YES)"))
                .run();
        assertThat(r.records()).singleElement().satisfies(l -> {
            assertThat(l.kind()).isEqualTo(RecordKind.LOGIN);
            assertThat(l.status()).isEqualTo(RecordStatus.ERROR);
            assertThat(l.error().code()).isEqualTo("1045");
            assertThat(l.error().message()).startsWith("Access denied for user 'mallory'");
        });
        assertThat(r.count(MySqlEvent.LOGINS_FAILED)).isEqualTo(1);
    }

    @Test
    void sslRequestHandsTheRestToTlsAndGivesOneTlsRecordAtClose() {
        MySqlScript.Result r = MySqlScript.connection()
                .server(0, MySqlFixtures.greeting(MySqlFixtures.SERVER_ALL))
                .client(10, MySqlFixtures.sslRequest(MySqlFixtures.MODERN))
                .client(20, MySqlBytes.hex("16 03 01 02 00 01 00 01 fc 03 03")) // TLS ClientHello
                .server(30, MySqlBytes.hex("16 03 03 00 7a 02 00 00 76 03 03"))
                .run();
        assertThat(r.records()).singleElement().satisfies(t -> {
            assertThat(t.kind()).isEqualTo(RecordKind.TLS);
            assertThat(t.tsMicros()).isEqualTo(MySqlScript.T0 + 10); // the SSLRequest
            assertThat(t.session().tls()).isTrue();
            assertThat(t.session().decrypted()).isFalse();
            assertThat(t.request().bytes()).isEqualTo(11); // the TLS bytes after SSLRequest
            assertThat(t.response().bytes()).isEqualTo(11);
        });
        assertThat(r.count(MySqlEvent.TLS_SESSIONS)).isEqualTo(1);
    }

    @Test
    void refusedBeforeHandshakeIsAFailedLogin() {
        MySqlScript.Result r = MySqlScript.connection()
                .server(0, payload().int1(0xff).int2(1040).str("#08004Too many connections").packet(0))
                .run();
        assertThat(r.records()).singleElement().satisfies(l -> {
            assertThat(l.status()).isEqualTo(RecordStatus.ERROR);
            assertThat(l.error().code()).isEqualTo("1040");
            assertThat(l.error().message()).isEqualTo("Too many connections");
        });
    }

    @Test
    void httpOnTheMySqlPortIsCountedNotParsed() {
        MySqlScript.Result r = MySqlScript.connection()
                .client(0, "GET / HTTP/1.1\r\nHost: db\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .server(10, "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .run();
        assertThat(r.records()).isEmpty();
        assertThat(r.count(MySqlEvent.INTERNAL_ERROR_RESYNCED)).isZero();
        assertThat(r.count(MySqlEvent.NOT_MYSQL) + r.count(MySqlEvent.OVERSIZED_LENGTH)).isPositive();
    }

    @Test
    void connectionEndingDuringAuthIsAnIncompleteLogin() {
        MySqlScript.Result r = MySqlScript.connection()
                .server(0, MySqlFixtures.greeting(MySqlFixtures.SERVER_ALL))
                .client(10, MySqlFixtures.response(MySqlFixtures.MODERN, "carol", "shop", "x"))
                .run();
        assertThat(r.records()).singleElement().satisfies(l -> {
            assertThat(l.status()).isEqualTo(RecordStatus.INCOMPLETE);
            assertThat(l.response()).isNull();
        });
    }

    @Test
    void refusalWithoutSqlStateMarkerKeepsTheWholeMessage() {
        // Sent before any handshake, so without the '#' SQLSTATE marker.
        MySqlScript.Result r = MySqlScript.connection()
                .server(0, payload().int1(0xff).int2(1129)
                        .str("Host '10.0.0.5' is blocked because of many connection errors").packet(0))
                .run();
        assertThat(r.records()).singleElement().satisfies(l -> {
            assertThat(l.error().code()).isEqualTo("1129");
            assertThat(l.error().message()).isEqualTo("Host '10.0.0.5' is blocked because of many connection errors");
            assertThat(l.request().bytes()).isZero();
        });
    }
}
