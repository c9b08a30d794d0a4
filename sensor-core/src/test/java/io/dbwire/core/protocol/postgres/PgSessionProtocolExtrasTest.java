package io.dbwire.core.protocol.postgres;

import static io.dbwire.core.protocol.postgres.PgWireBuilder.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.SessionInfo;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.tcp.CloseReason;
import io.dbwire.core.tcp.ConnectionInfo;
import io.dbwire.core.tcp.Direction;
import io.dbwire.core.util.ReasonCounters;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Protocol 3.2 negotiation and PostgreSQL 18's long cancel keys, CancelRequest matched to its victim,
 * GSSENCRequest refused then SSLRequest refused, fastpath FunctionCall, NotificationResponse inside a result,
 * CopyBoth.
 */
class PgSessionProtocolExtrasTest {

    private static byte[] loginMessages(int pid, byte[] key) {
        return cat(authOk(), parameterStatus("application_name", "victim-app"), backendKeyData(pid, key),
                readyForQuery('I'));
    }

    /** Every message this class covers in one session: the fuzz test's second seed corpus. */
    static SessionScript fuzzSession() {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) 3);
        return SessionScript.connection()
                .client(0, startupVersion(2, "user", "alice", "database", "shop", "_pq_.x", "1"))
                .server(100, negotiateProtocolVersion(0, "_pq_.x"), loginMessages(5, key))
                .client(1_000, functionCall(952, "1", "2"))
                .server(1_100, functionCallResponse("0"), notification(9, "c", "p"), readyForQuery('T'))
                .client(2_000, parse("s", "SELECT $1, '$2', $2"), bindWithFormats("", "s", new int[] {0, 1},
                        "v".getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[] {1}), execute("", 0), sync())
                .server(2_100, parseComplete(), bindComplete(), dataRow("v", "x"), commandComplete("SELECT 1"),
                        readyForQuery('I'))
                .client(3_000, query("START_REPLICATION SLOT s LOGICAL 0/0"))
                .server(3_100, copyBothResponse(0), copyData("w"), copyDone())
                .client(3_200, copyData("r"), copyDone())
                .server(3_300, commandComplete("START_REPLICATION"), readyForQuery('I'))
                .client(4_000, terminate());
    }

    @Test
    void fuzzCorpusIsAValidSession() {
        SessionScript.Result r = fuzzSession().run(Integer.MAX_VALUE,
                SessionScript.config(io.dbwire.core.config.StatementMode.FULL, 16_384, 1 << 20).withBindParameters(true));
        assertThat(r.records()).extracting(TransactionRecord::kind).containsExactly(RecordKind.LOGIN,
                RecordKind.STATEMENT, RecordKind.STATEMENT, RecordKind.STATEMENT);
        assertThat(r.records()).allSatisfy(x -> assertThat(x.status()).isEqualTo(RecordStatus.OK));
        assertThat(r.records().get(2).statement().text()).isEqualTo("SELECT 'v', '$2', $2"); // $2 was binary
        for (PgEvent e : new PgEvent[] {PgEvent.PROTOCOL_VIOLATION_BODY, PgEvent.PROTOCOL_VIOLATION_LENGTH,
                PgEvent.PROTOCOL_VIOLATION_TYPE, PgEvent.UNMATCHED_RESPONSE, PgEvent.RESYNCS}) {
            assertThat(r.count(e)).as(e.metricName()).isZero();
        }
    }

    @Test
    void everyChunkSizeAndSplitPointGivesIdenticalRecords() {
        ProtocolConfig binds = SessionScript.config(io.dbwire.core.config.StatementMode.FULL, 16_384, 1 << 20)
                .withBindParameters(true);
        SessionScript script = fuzzSession();
        List<String> whole = script.run(Integer.MAX_VALUE, binds).json();
        for (int chunk = 1; chunk <= 64; chunk++) {
            assertThat(script.run(chunk, binds).json()).as("chunk %d", chunk).isEqualTo(whole);
        }
        List<String> plain = script.run().json();
        int longest = script.steps().stream().mapToInt(s -> s.bytes() == null ? 0 : s.bytes().length).max().orElse(1);
        for (int at = 1; at < longest; at++) {
            assertThat(script.runSplitAt(at).json()).as("split at %d", at).isEqualTo(plain);
        }
    }

    @Test
    void protocol32RequestDowngradedByNegotiateProtocolVersionIsAnOkLogin() {
        byte[] startup = startupVersion(2, "user", "alice", "database", "shop", "_pq_.some_option", "on");
        byte[] negotiate = negotiateProtocolVersion(0, "_pq_.some_option"); // server: 3.0, option unknown
        SessionScript.Result r = SessionScript.connection()
                .client(0, startup)
                .server(100, negotiate, loginMessages(77, new byte[] {1, 2, 3, 4}))
                .client(200, query("SELECT 1"))
                .server(300, rowDescription("x"), dataRow("1"), commandComplete("SELECT 1"), readyForQuery('I'))
                .run();

        assertThat(r.records()).extracting(TransactionRecord::kind).containsExactly(RecordKind.LOGIN, RecordKind.STATEMENT);
        TransactionRecord login = r.records().get(0);
        assertThat(login.status()).isEqualTo(RecordStatus.OK);
        assertThat(login.session().user()).isEqualTo("alice");
        assertThat(login.session().protocolVersion()).isEqualTo("3.0"); // asked 3.2, the server has 3.0
        assertThat(r.records().get(1).session().protocolVersion()).isEqualTo("3.0");
        assertThat(login.response().bytes()).isEqualTo(negotiate.length + loginMessages(77, new byte[] {1, 2, 3, 4}).length);
        assertThat(r.count(PgEvent.UNSUPPORTED_PROTOCOL_VERSION)).isZero();
        assertThat(r.count(PgEvent.PROTOCOL_VIOLATION_BODY)).isZero();
    }

    @Test
    void negotiateProtocolVersionAsPostgres15SendsIt() {
        // PostgreSQL 15 puts the whole version (3 << 16 | 0) where the documentation says "newest minor".
        byte[] negotiate = typed('v', body().int32(3 << 16).int32(0)); // version, no unknown options
        SessionScript.Result r = SessionScript.connection()
                .client(0, startupVersion(2, "user", "alice"))
                .server(100, negotiate, loginMessages(77, new byte[] {1, 2, 3, 4}))
                .run();
        assertThat(r.records().get(0).session().protocolVersion()).isEqualTo("3.0");
        assertThat(r.count(PgEvent.PROTOCOL_VIOLATION_BODY)).isZero();
    }

    @Test
    void protocol32LongBackendKeyIsReadWhole() {
        byte[] key = new byte[32]; // PostgreSQL 18 sends 32 bytes
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 7 + 1);
        }
        SessionScript.Result r = SessionScript.connection()
                .client(0, startupVersion(2, "user", "alice"))
                .server(100, loginMessages(4242, key))
                .run();
        assertThat(r.session().backendPid()).isEqualTo(4242);
        assertThat(r.records().get(0).session().protocolVersion()).isEqualTo("3.2"); // accepted as asked
        assertThat(r.session().backendKey()).isEqualTo(0x01080f16); // its first four bytes
        assertThat(r.count(PgEvent.PROTOCOL_VIOLATION_BODY)).isZero();
        assertThat(r.count(PgEvent.PROTOCOL_VIOLATION_LENGTH)).isZero();
    }

    // ---- CancelRequest matched to its victim ---------------------------------------------------------------

    private static final class Engine {
        final PgBackendDirectory directory = new PgBackendDirectory();
        final ReasonCounters<PgEvent> counters = new ReasonCounters<>(PgEvent.class);
        final List<TransactionRecord> records = new ArrayList<>();
        long nextId = 1;

        PgSession open(int clientPort) {
            ConnectionInfo c = new ConnectionInfo(nextId++, 42, "10.0.0.5", clientPort, "10.0.0.9", 5432, false,
                    SessionScript.T0);
            return new PgSession(c, ProtocolConfig.defaults(), new FakeNormalizer(), records::add, counters,
                    directory);
        }

        static void send(PgSession s, Direction d, byte[] bytes, long ts) {
            s.onData(d, bytes, 0, bytes.length, SessionScript.T0 + ts);
        }

        TransactionRecord cancel() {
            return records.stream().filter(r -> r.kind() == RecordKind.CANCEL).findFirst().orElseThrow();
        }
    }

    private static PgSession victim(Engine e, int pid, byte[] key) {
        PgSession v = e.open(40_000);
        Engine.send(v, Direction.CLIENT_TO_SERVER, startupVersion(key.length == 4 ? 0 : 2, "user", "bob",
                "database", "ledger"), 0);
        Engine.send(v, Direction.SERVER_TO_CLIENT, loginMessages(pid, key), 100);
        Engine.send(v, Direction.CLIENT_TO_SERVER, query("SELECT pg_sleep(60)"), 1_000);
        return v;
    }

    @Test
    void cancelRequestCarriesTheIdentityOfTheSessionItCancels() {
        Engine e = new Engine();
        PgSession v = victim(e, 900, new byte[] {9, 8, 7, 6});
        PgSession c = e.open(40_001);
        Engine.send(c, Direction.CLIENT_TO_SERVER, cancelRequest(900, 0x09080706), 2_000);
        c.onClose(CloseReason.FIN, SessionScript.T0 + 2_100);
        Engine.send(v, Direction.SERVER_TO_CLIENT, cat(error("57014", "canceling statement due to user request"),
                readyForQuery('I')), 2_200);

        TransactionRecord cancel = e.cancel();
        assertThat(cancel.session()).isEqualTo(new SessionInfo("bob", "ledger", "victim-app", false, false));
        assertThat(cancel.connectionId()).isEqualTo(2);
        assertThat(cancel.response()).isNull();
        assertThat(e.counters.get(PgEvent.CANCEL_MATCHED)).isEqualTo(1);
        TransactionRecord sleep = e.records.stream().filter(r -> r.kind() == RecordKind.STATEMENT).findFirst()
                .orElseThrow();
        assertThat(sleep.error().code()).isEqualTo("57014");
    }

    @Test
    void longCancelKeyOfProtocol32MustMatchInFull() {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) 0x41);
        Engine e = new Engine();
        victim(e, 901, key);
        byte[] wrong = key.clone();
        wrong[31] = 0x42; // same first four bytes, different key: not this session
        PgSession bad = e.open(40_002);
        Engine.send(bad, Direction.CLIENT_TO_SERVER, cancelRequest(901, wrong), 2_000);
        PgSession good = e.open(40_003);
        Engine.send(good, Direction.CLIENT_TO_SERVER, cancelRequest(901, key), 3_000);

        List<TransactionRecord> cancels = e.records.stream().filter(r -> r.kind() == RecordKind.CANCEL).toList();
        assertThat(cancels).hasSize(2);
        assertThat(cancels.get(0).session().user()).isNull(); // no guess
        assertThat(cancels.get(1).session().user()).isEqualTo("bob");
        assertThat(cancels.get(1).request().bytes()).isEqualTo(cancelRequest(901, key).length);
        assertThat(e.counters.get(PgEvent.CANCEL_REQUESTS)).isEqualTo(2);
        assertThat(e.counters.get(PgEvent.CANCEL_MATCHED)).isEqualTo(1);
    }

    @Test
    void cancelAfterTheVictimClosedMatchesNothing() {
        Engine e = new Engine();
        PgSession v = victim(e, 902, new byte[] {1, 1, 1, 1});
        v.onClose(CloseReason.FIN, SessionScript.T0 + 1_500);
        assertThat(e.directory.size()).isZero();
        PgSession c = e.open(40_004);
        Engine.send(c, Direction.CLIENT_TO_SERVER, cancelRequest(902, 0x01010101), 2_000);
        assertThat(e.cancel().session().user()).isNull();
        assertThat(e.counters.get(PgEvent.CANCEL_MATCHED)).isZero();
    }

    @Test
    void withoutADirectoryTheCancelIsRecordedUnmatched() {
        SessionScript.Result r = SessionScript.connection().client(0, cancelRequest(5, 6)).run();
        assertThat(r.records()).singleElement().satisfies(rec -> {
            assertThat(rec.kind()).isEqualTo(RecordKind.CANCEL);
            assertThat(rec.session().user()).isNull();
        });
    }

    // ---- encryption requests refused ----------------------------------------------------------------------

    @Test
    void gssEncRefusedThenSslRefusedThenClearStartup() {
        // libpq with gssencmode=prefer, sslmode=prefer against a server with neither: 'N', 'N', then clear text.
        SessionScript.Result r = SessionScript.connection()
                .client(0, gssEncRequest())
                .server(10, "N".getBytes())
                .client(20, sslRequest())
                .server(30, "N".getBytes())
                .client(40, startup("user", "carol", "database", "shop"))
                .server(100, loginMessages(1, new byte[] {0, 0, 0, 1}))
                .run();
        assertThat(r.records()).singleElement().satisfies(login -> {
            assertThat(login.kind()).isEqualTo(RecordKind.LOGIN);
            assertThat(login.status()).isEqualTo(RecordStatus.OK);
            assertThat(login.session().user()).isEqualTo("carol");
            assertThat(login.session().tls()).isFalse();
        });
        assertThat(r.count(PgEvent.TLS_SESSIONS) + r.count(PgEvent.GSS_ENCRYPTED_SESSIONS)).isZero();
    }

    // ---- fastpath, notifications, CopyBoth ------------------------------------------------------------------

    private static SessionScript loggedIn() {
        return SessionScript.connection()
                .client(0, startup("user", "alice", "database", "shop"))
                .server(100, loginMessages(1, new byte[] {0, 0, 0, 1}));
    }

    @Test
    void functionCallIsAStatementNamedByItsOid() {
        byte[] call = functionCall(952, "16385", "262144"); // lo_open(16385, INV_READ)
        byte[] answer = functionCallResponse("0");
        SessionScript.Result r = loggedIn()
                .client(1_000, call)
                .server(1_300, notice("a notice is not part of it"), answer, readyForQuery('T'))
                .client(2_000, functionCall(953, "0", "4"))
                .server(2_100, error("42704", "large object descriptor 0 does not exist"), readyForQuery('E'))
                .client(3_000, query("SELECT 1"))
                .server(3_100, rowDescription("x"), dataRow("1"), commandComplete("SELECT 1"), readyForQuery('I'))
                .run();

        List<TransactionRecord> statements = r.records().stream().filter(x -> x.kind() == RecordKind.STATEMENT)
                .toList();
        assertThat(statements).hasSize(3);
        TransactionRecord open = statements.get(0);
        assertThat(open.statement().text()).isEqualTo("fastpath function call (OID 952)");
        assertThat(open.statement().operation()).isEqualTo("FUNCTION_CALL");
        assertThat(open.statement().fingerprint()).matches("[0-9a-f]{16}")
                .isNotEqualTo(statements.get(1).statement().fingerprint());
        assertThat(open.status()).isEqualTo(RecordStatus.OK);
        assertThat(open.request().bytes()).isEqualTo(call.length);
        assertThat(open.response().bytes()).isEqualTo(answer.length);
        assertThat(open.response().rows()).isNull();
        assertThat(open.response().durationUs()).isEqualTo(300);
        assertThat(statements.get(1).status()).isEqualTo(RecordStatus.ERROR);
        assertThat(statements.get(1).error().code()).isEqualTo("42704");
        assertThat(statements.get(2).statement().text()).isEqualTo("SELECT 1");
        assertThat(r.json()).noneMatch(j -> j.contains("16385")); // arguments are never read
        assertThat(r.count(PgEvent.FUNCTION_CALLS)).isEqualTo(2);
        assertThat(r.count(PgEvent.UNMATCHED_RESPONSE)).isZero();
    }

    @Test
    void functionCallCutByTheEndOfTheConnectionIsIncomplete() {
        SessionScript.Result r = loggedIn().client(1_000, functionCall(952, "1", "2")).run();
        assertThat(r.records().get(1).status()).isEqualTo(RecordStatus.INCOMPLETE);
        assertThat(r.records().get(1).statement().operation()).isEqualTo("FUNCTION_CALL");
    }

    @Test
    void notificationInsideAResultIsNeitherARecordNorPartOfIt() {
        byte[] note = notification(31337, "orders", "{\"id\": 7}");
        SessionScript.Result r = loggedIn()
                .client(1_000, query("LISTEN orders; SELECT 1"))
                .server(1_100, commandComplete("LISTEN"), rowDescription("x"), note, dataRow("1"),
                        commandComplete("SELECT 1"), readyForQuery('I'))
                .server(5_000, note) // asynchronous, between statements
                .client(6_000, query("SELECT 2"))
                .server(6_100, rowDescription("x"), dataRow("2"), commandComplete("SELECT 1"), readyForQuery('I'))
                .run();
        List<TransactionRecord> statements = r.records().stream().filter(x -> x.kind() == RecordKind.STATEMENT)
                .toList();
        assertThat(statements).extracting(x -> x.statement().text()).containsExactly("LISTEN orders", "SELECT 1",
                "SELECT 2");
        assertThat(statements.get(1).response().rows()).isEqualTo(1L);
        assertThat(statements.get(1).response().bytes())
                .isEqualTo(rowDescription("x").length + dataRow("1").length + commandComplete("SELECT 1").length);
        assertThat(r.count(PgEvent.UNMATCHED_RESPONSE)).isZero();
    }

    @Test
    void copyBothCountsServerCopyDataAsRowsAndClientCopyDataAsRequest() {
        // A replication command: the server switches to CopyBoth; both sides send CopyData until CopyDone.
        SessionScript.Result r = loggedIn()
                .client(1_000, query("START_REPLICATION SLOT s LOGICAL 0/0"))
                .server(1_100, copyBothResponse(0), copyData("w-message-1"), copyData("w-message-2"))
                .client(1_200, copyData("standby-status"))
                .server(1_300, copyData("keepalive"), copyDone())
                .client(1_400, copyDone())
                .server(1_500, commandComplete("START_REPLICATION"), readyForQuery('I'))
                .run();
        TransactionRecord repl = r.records().get(1);
        assertThat(repl.kind()).isEqualTo(RecordKind.STATEMENT);
        assertThat(repl.status()).isEqualTo(RecordStatus.OK);
        assertThat(repl.response().rows()).isEqualTo(3L);
        assertThat(repl.request().bytes()).isEqualTo(query("START_REPLICATION SLOT s LOGICAL 0/0").length
                + copyData("standby-status").length + copyDone().length);
        assertThat(r.count(PgEvent.COPY_DATA_MESSAGES)).isEqualTo(4);
    }
}
