package io.dbwire.core.protocol.postgres;

import static io.dbwire.core.protocol.postgres.PgWireBuilder.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.record.ErrorInfo;
import io.dbwire.core.record.RecordJson;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.ResponseInfo;
import io.dbwire.core.record.SessionInfo;
import io.dbwire.core.record.TransactionRecord;
import org.junit.jupiter.api.Test;

/** Startup phase: StartupMessage, authentication outcome, SSLRequest/GSSENCRequest answers, CancelRequest. */
class PgSessionStartupTest {

    static final byte[] STARTUP = startup("user", "alice", "database", "shop", "application_name", "psql");

    /** Login with MD5 auth: the password is counted as request bytes and never appears in a record. */
    static SessionScript loginThenSelect() {
        return SessionScript.connection()
                .client(0, STARTUP)
                .server(100, authMd5())
                .client(200, password("md5-s3cret-hash"))
                .server(300, authOk(), parameterStatus("server_version", "17.2"),
                        parameterStatus("application_name", "psql"), backendKeyData(4242, 0x1234),
                        readyForQuery('I'))
                .client(1_000, query("SELECT * FROM t"))
                .server(1_500, rowDescription("a", "b"), dataRow("1", "x"))
                .server(1_800, dataRow("2", "y"), commandComplete("SELECT 2"), readyForQuery('I'))
                .client(2_000, terminate());
    }

    @Test
    void startupAuthOkAndSimpleQueryWithRows() {
        SessionScript.Result r = loginThenSelect().run();

        assertThat(r.records()).hasSize(2);
        TransactionRecord login = r.records().get(0);
        assertThat(login.kind()).isEqualTo(RecordKind.LOGIN);
        assertThat(login.status()).isEqualTo(RecordStatus.OK);
        assertThat(login.tsMicros()).isEqualTo(SessionScript.T0);
        assertThat(login.session()).isEqualTo(
                new SessionInfo("alice", "shop", "psql", false, false, false, "md5", "3.0", "psql", null));
        assertThat(login.statement()).isNull();
        assertThat(login.request().bytes()).isEqualTo(STARTUP.length + password("md5-s3cret-hash").length);
        assertThat(login.response().serverUs()).isEqualTo(100);
        assertThat(login.response().durationUs()).isEqualTo(300);

        TransactionRecord select = r.records().get(1);
        assertThat(select.kind()).isEqualTo(RecordKind.STATEMENT);
        assertThat(select.status()).isEqualTo(RecordStatus.OK);
        assertThat(select.tsMicros()).isEqualTo(SessionScript.T0 + 1_000);
        assertThat(select.statement().text()).isEqualTo("SELECT * FROM t");
        assertThat(select.statement().operation()).isEqualTo("SELECT");
        assertThat(select.statement().fingerprint()).isEqualTo(FakeNormalizer.fingerprint("SELECT * FROM t"));
        assertThat(select.request().bytes()).isEqualTo(query("SELECT * FROM t").length);
        long responseBytes = rowDescription("a", "b").length + dataRow("1", "x").length + dataRow("2", "y").length
                + commandComplete("SELECT 2").length;
        assertThat(select.response())
                .isEqualTo(new ResponseInfo(2L, null, responseBytes, 500L, 800L, "SELECT 2", null));
        assertThat(select.error()).isNull();
        assertThat(select.connectionId()).isEqualTo(7);
        assertThat(select.vni()).isEqualTo(42);

        assertThat(r.session().backendPid()).isEqualTo(4242);
        assertThat(r.json()).noneMatch(j -> j.contains("s3cret"));
        assertThat(r.count(PgEvent.LOGINS_OK)).isEqualTo(1);
        assertThat(r.count(PgEvent.RESYNCS)).isZero();
        assertThat(r.count(PgEvent.INTERNAL_ERROR_RESYNCED)).isZero();
    }

    @Test
    void emptyApplicationIsNullAndEmptyDatabaseIsTheUserAsTheServerHasIt() {
        SessionScript.Result r = SessionScript.connection()
                .client(0, startup("user", "alice", "database", "", "application_name", ""))
                .server(10, authOk(), parameterStatus("application_name", ""), backendKeyData(99, 1),
                        readyForQuery('I'))
                .run();
        TransactionRecord login = r.records().get(0);
        assertThat(login.session().application()).isNull(); // "" means nothing was set: one rule, docs/records.md
        assertThat(login.session().database()).isEqualTo("alice"); // PostgreSQL's default for an empty database
    }

    @Test
    void failedLoginCarriesSqlstateAndMessage() {
        SessionScript.Result r = SessionScript.connection()
                .client(0, startup("user", "mallory", "database", "shop"))
                .server(50, authSasl())
                .client(60, password("n,,n=mallory,r=clientnonce")) // SASLInitialResponse shape
                .server(90, fatal("28P01", "password authentication failed for user \"mallory\""))
                .run();

        assertThat(r.records()).singleElement().satisfies(login -> {
            assertThat(login.kind()).isEqualTo(RecordKind.LOGIN);
            assertThat(login.status()).isEqualTo(RecordStatus.ERROR);
            assertThat(login.error())
                    .isEqualTo(new ErrorInfo("28P01", "password authentication failed for user \"mallory\""));
            assertThat(login.session().user()).isEqualTo("mallory");
            assertThat(login.session().application()).isNull();
        });
        assertThat(r.json()).noneMatch(j -> j.contains("clientnonce"));
        assertThat(r.count(PgEvent.LOGINS_FAILED)).isEqualTo(1);
    }

    @Test
    void errorAfterAuthenticationOkIsAFailedLogin() {
        SessionScript.Result r = SessionScript.connection()
                .client(0, startup("user", "bob", "database", "nope"))
                .server(50, authOk(), fatal("3D000", "database \"nope\" does not exist"))
                .run();

        assertThat(r.records()).singleElement().satisfies(login -> {
            assertThat(login.status()).isEqualTo(RecordStatus.ERROR);
            assertThat(login.error().code()).isEqualTo("3D000");
        });
    }

    @Test
    void connectionClosedDuringAuthenticationIsAnIncompleteLogin() {
        SessionScript.Result r = SessionScript.connection()
                .client(0, startup("user", "bob"))
                .server(50, authMd5())
                .run();

        assertThat(r.records()).singleElement().satisfies(login -> {
            assertThat(login.kind()).isEqualTo(RecordKind.LOGIN);
            assertThat(login.status()).isEqualTo(RecordStatus.INCOMPLETE);
            assertThat(login.session().database()).isEqualTo("bob"); // the server's default: the user name
        });
    }

    @Test
    void sslRequestAnsweredSHandsTheRestToTlsAndEmitsOneTlsRecordAtClose() {
        SessionScript.Result r = SessionScript.connection()
                .client(0, sslRequest())
                .server(40, new byte[] {'S'})
                .client(50, new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01}) // TLS ClientHello begins
                .server(60, new byte[] {0x16, 0x03, 0x03, 0x00, 0x7a})
                .run();

        assertThat(r.records()).singleElement().satisfies(tls -> {
            assertThat(tls.kind()).isEqualTo(RecordKind.TLS);
            assertThat(tls.status()).isEqualTo(RecordStatus.OK);
            assertThat(tls.statement()).isNull();
            assertThat(tls.tsMicros()).isEqualTo(SessionScript.T0); // the SSLRequest
            assertThat(tls.session().tls()).isTrue();
            assertThat(tls.session().decrypted()).isFalse();
            assertThat(tls.session().midStream()).isFalse();
            assertThat(tls.request().bytes()).isEqualTo(6); // TLS bytes after the prelude, each direction
            assertThat(tls.response().bytes()).isEqualTo(5);
            assertThat(tls.response().durationUs()).isEqualTo(61); // to the close, one microsecond after the last
            assertThat(tls.tls().client().records()).isEqualTo(1); // cut by the close, still counted
            assertThat(tls.tls().violations()).containsEntry("truncated_at_close", 2L);
        });
        assertThat(r.count(PgEvent.TLS_SESSIONS)).isEqualTo(1);
        assertThat(r.count(PgEvent.RESYNCS)).isZero();
        assertThat(r.count(PgEvent.PROTOCOL_VIOLATION_TYPE)).isZero();
    }

    @Test
    void directTlsWithoutSslRequestIsATlsRecord() {
        // PostgreSQL 17 sslnegotiation=direct: the client opens with a TLS ClientHello record header.
        SessionScript.Result r = SessionScript.connection()
                .client(0, new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc})
                .server(30, new byte[] {0x16, 0x03, 0x03, 0x00, 0x7a, 0x02})
                .run();

        assertThat(r.records()).singleElement().satisfies(tls -> {
            assertThat(tls.kind()).isEqualTo(RecordKind.TLS);
            assertThat(tls.session().midStream()).isFalse();
            assertThat(tls.request().bytes()).isEqualTo(9); // every client byte went to the TLS layer
            assertThat(tls.response().bytes()).isEqualTo(6);
        });
        assertThat(r.count(PgEvent.TLS_SESSIONS)).isEqualTo(1);
        assertThat(r.count(PgEvent.PROTOCOL_VIOLATION_STARTUP)).isZero();
    }

    @Test
    void encryptedConnectionPickedUpMidStreamIsATlsRecord() {
        SessionScript.Result r = SessionScript.connection().midStream()
                .server(0, new byte[] {0x17, 0x03, 0x03, 0x01, 0x10, 0x55, 0x21, 0x7f})
                .client(10, new byte[] {0x17, 0x03, 0x03, 0x00, 0x40, 0x12})
                .run();

        assertThat(r.records()).singleElement().satisfies(tls -> {
            assertThat(tls.kind()).isEqualTo(RecordKind.TLS);
            assertThat(tls.session().midStream()).isTrue();
        });
        assertThat(r.count(PgEvent.RESYNC_SKIPPED_BYTES)).isZero();
    }

    @Test
    void gssEncRequestAnsweredGIsReportedAsTls() {
        SessionScript.Result r = SessionScript.connection()
                .client(0, gssEncRequest())
                .server(40, new byte[] {'G'})
                .run();

        assertThat(r.records()).singleElement().extracting(TransactionRecord::kind).isEqualTo(RecordKind.TLS);
        assertThat(r.count(PgEvent.GSS_ENCRYPTED_SESSIONS)).isEqualTo(1);
    }

    @Test
    void sslRequestAnsweredNContinuesInClear() {
        SessionScript.Result r = SessionScript.connection()
                .client(0, sslRequest())
                .server(40, new byte[] {'N'})
                .client(50, startup("user", "carol", "database", "shop"))
                .server(80, authOk(), readyForQuery('I'))
                .client(100, query("BEGIN"))
                .server(120, commandComplete("BEGIN"), readyForQuery('T'))
                .run();

        assertThat(r.records()).extracting(TransactionRecord::kind)
                .containsExactly(RecordKind.LOGIN, RecordKind.STATEMENT);
        assertThat(r.records().get(0).session().user()).isEqualTo("carol");
        assertThat(r.records().get(0).session().tls()).isFalse();
        assertThat(r.records().get(0).request().bytes()).isEqualTo(startup("user", "carol", "database", "shop").length);
        assertThat(r.records().get(1).statement().operation()).isEqualTo("BEGIN");
        assertThat(r.records().get(1).response().rows()).isNull();
        assertThat(r.count(PgEvent.TLS_SESSIONS)).isZero();
    }

    @Test
    void cancelRequestEmitsACancelRecord() {
        SessionScript.Result r = SessionScript.connection()
                .client(0, cancelRequest(4242, 0x1234))
                .run();

        assertThat(r.records()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(RecordKind.CANCEL);
            assertThat(c.status()).isEqualTo(RecordStatus.OK);
            assertThat(c.request().bytes()).isEqualTo(16);
            assertThat(c.response()).isNull();
            assertThat(c.statement()).isNull();
            assertThat(c.session().midStream()).isFalse();
        });
        assertThat(RecordJson.toJson(r.records().get(0))).contains("\"kind\":\"cancel\"");
        assertThat(r.count(PgEvent.CANCEL_REQUESTS)).isEqualTo(1);
    }

    @Test
    void unsupportedProtocolVersionStopsParsing() {
        byte[] v2 = untyped(body().int32(2 << 16).cstring("user").cstring("old").int8(0));
        SessionScript.Result r = SessionScript.connection().client(0, v2).server(10, authOk()).run();

        assertThat(r.records()).isEmpty();
        assertThat(r.count(PgEvent.UNSUPPORTED_PROTOCOL_VERSION)).isEqualTo(1);
    }
}
