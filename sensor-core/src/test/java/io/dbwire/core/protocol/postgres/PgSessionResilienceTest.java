package io.dbwire.core.protocol.postgres;

import static io.dbwire.core.protocol.postgres.PgWireBuilder.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.record.GapInfo;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.tcp.Direction;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Mid-stream pickup, gaps, hostile lengths, and every split point of a whole session. */
class PgSessionResilienceTest {

    /** Startup, auth, simple query with rows, a failing batch, extended pipeline, COPY out and in. */
    static SessionScript fullSession() {
        return PgSessionStartupTest.loginThenSelect()
                .client(3_000, query("INSERT INTO t VALUES (1); SELECT nope; SELECT 3"))
                .server(3_100, commandComplete("INSERT 0 1"), error("42703", "column \"nope\" does not exist"),
                        readyForQuery('I'))
                .client(4_000, parse("S_1", "SELECT a FROM t WHERE b = $1"), bind("", "S_1", "x"),
                        describe('P', ""), execute("", 0), parse("", "SELEC"), bind("", ""), execute("", 0), sync())
                .server(4_200, parseComplete(), bindComplete(), rowDescription("a"), dataRow("1"), dataRow("2"),
                        commandComplete("SELECT 2"), error("42601", "syntax error"), readyForQuery('I'))
                .client(5_000, query("COPY t TO STDOUT"))
                .server(5_100, copyOutResponse(1), copyData("1\n"), copyData("2\n"), copyDone(),
                        commandComplete("COPY 2"), readyForQuery('I'))
                .client(6_000, query("COPY t FROM STDIN"))
                .server(6_050, copyInResponse(1))
                .client(6_100, copyData("9\n"), copyDone())
                .server(6_200, commandComplete("COPY 1"), notice("done"), readyForQuery('I'))
                .client(7_000, terminate());
    }

    @Test
    void fullSessionRecords() {
        SessionScript.Result r = fullSession().run();

        assertThat(r.records()).extracting(t -> t.kind() + " " + t.status() + " "
                        + (t.statement() == null ? "-" : t.statement().text()))
                .containsExactly(
                        "LOGIN OK -",
                        "STATEMENT OK SELECT * FROM t",
                        "STATEMENT OK INSERT INTO t VALUES (1)",
                        "STATEMENT ERROR SELECT nope",
                        "STATEMENT OK SELECT a FROM t WHERE b = $1",
                        "STATEMENT ERROR SELEC",
                        "STATEMENT OK COPY t TO STDOUT",
                        "STATEMENT OK COPY t FROM STDIN");
        assertThat(r.counters().nonZero()).doesNotContainKeys(PgEvent.RESYNCS, PgEvent.UNMATCHED_RESPONSE,
                PgEvent.INCOMPLETE_STATEMENTS, PgEvent.PROTOCOL_VIOLATION_BODY, PgEvent.PROTOCOL_VIOLATION_TYPE,
                PgEvent.INTERNAL_ERROR_RESYNCED);
    }

    @Test
    void everyChunkSizeGivesIdenticalRecords() {
        SessionScript script = fullSession();
        List<String> whole = script.run().json();
        int longest = script.steps().stream().mapToInt(s -> s.bytes() == null ? 0 : s.bytes().length).max().orElse(1);
        for (int chunk = 1; chunk <= longest; chunk++) {
            assertThat(script.run(chunk).json()).as("chunk size %d", chunk).isEqualTo(whole);
        }
    }

    @Test
    void everySplitPointGivesIdenticalRecords() {
        SessionScript script = fullSession();
        List<String> whole = script.run().json();
        int longest = script.steps().stream().mapToInt(s -> s.bytes() == null ? 0 : s.bytes().length).max().orElse(1);
        for (int at = 1; at < longest; at++) {
            assertThat(script.runSplitAt(at).json()).as("split at %d", at).isEqualTo(whole);
        }
    }

    @Test
    void midStreamPickupStartingInsideADataRow() {
        byte[] row = dataRow("hello world", "x");
        byte[] tail = Arrays.copyOfRange(row, row.length - 8, row.length); // "rld", int32 1, "x"
        SessionScript.Result r = SessionScript.connection().midStream()
                .server(0, tail, dataRow("2", "y"), commandComplete("SELECT 5"), readyForQuery('T'))
                .client(1_000, query("SELECT 1"))
                .server(1_200, rowDescription("?column?"), dataRow("1"), commandComplete("SELECT 1"),
                        readyForQuery('T'))
                .run();

        assertThat(r.records()).singleElement().satisfies(t -> {
            assertThat(t.kind()).isEqualTo(RecordKind.STATEMENT);
            assertThat(t.status()).isEqualTo(RecordStatus.OK);
            assertThat(t.statement().text()).isEqualTo("SELECT 1");
            assertThat(t.response().rows()).isEqualTo(1);
            assertThat(t.session().midStream()).isTrue();
            assertThat(t.session().user()).isNull();
            assertThat(t.session().database()).isNull();
            assertThat(t.session().application()).isNull();
        });
        assertThat(r.count(PgEvent.RESYNC_SKIPPED_BYTES)).isEqualTo(tail.length);
        assertThat(r.count(PgEvent.UNMATCHED_RESPONSE)).isEqualTo(1); // the "SELECT 5" we joined in
    }

    @Test
    void midStreamClientConfirmedByTheNextHeader() {
        SessionScript.Result r = SessionScript.connection().midStream()
                .client(0, new byte[] {'x', 'y', 0, 0}, parse("", "SELECT 1"), bind("", ""), execute("", 0), sync())
                .server(100, parseComplete(), bindComplete(), dataRow("1"), commandComplete("SELECT 1"),
                        readyForQuery('I'))
                .run();

        assertThat(r.records()).singleElement().satisfies(t -> assertThat(t.statement().text()).isEqualTo("SELECT 1"));
        assertThat(r.count(PgEvent.RESYNC_SKIPPED_BYTES)).isEqualTo(4);
    }

    /** The hole also took the end of the answer: the next request shows nothing proves a tag (PgTagAfterGapTest). */
    @Test
    void gapInsideAResponseEmitsTheStatementIncompleteOnce() {
        SessionScript.Result r = PgSessionQueryTest.loggedIn()
                .client(1_000, query("SELECT * FROM big"))
                .server(1_100, rowDescription("a"), dataRow("1"), dataRow("2"))
                .gap(Direction.SERVER_TO_CLIENT, 1_200, 9_000)
                .server(1_300, dataRow("9"))
                .client(2_000, query("SELECT 1"))
                .server(2_100, rowDescription("x"), dataRow("1"), commandComplete("SELECT 1"), readyForQuery('I'))
                .run();

        List<TransactionRecord> s = PgSessionQueryTest.statements(r);
        assertThat(s).extracting(TransactionRecord::status).containsExactly(RecordStatus.INCOMPLETE, RecordStatus.OK);
        TransactionRecord cut = s.get(0);
        assertThat(cut.statement().text()).isEqualTo("SELECT * FROM big");
        assertThat(cut.response().rows()).isEqualTo(2);
        assertThat(cut.response().serverUs()).isEqualTo(100);
        assertThat(cut.response().durationUs()).isNull();
        assertThat(cut.gaps()).as("the hole that cut it").isEqualTo(new GapInfo(0, 9_000));
        assertThat(s.get(1).gaps()).as("the next statement was seen whole").isNull();
        assertThat(r.count(PgEvent.GAPS)).isEqualTo(1);
        assertThat(r.count(PgEvent.INCOMPLETE_STATEMENTS)).isEqualTo(1);
        assertThat(r.count(PgEvent.ROWS_FROM_TAG_AFTER_GAP)).isZero();
    }

    @Test
    void gapDuringAuthenticationEmitsAnIncompleteLoginThenStatementsContinue() {
        SessionScript.Result r = SessionScript.connection()
                .client(0, startup("user", "dave", "database", "shop"))
                .server(10, authSasl())
                .gap(Direction.CLIENT_TO_SERVER, 20, 300) // the SASL exchange was lost
                .server(90, authOk(), readyForQuery('I'))
                .client(1_000, query("SELECT 1"))
                .server(1_100, rowDescription("x"), dataRow("1"), commandComplete("SELECT 1"), readyForQuery('I'))
                .run();

        assertThat(r.records()).extracting(t -> t.kind() + " " + t.status())
                .containsExactly("LOGIN INCOMPLETE", "STATEMENT OK");
        assertThat(r.records().get(1).session().user()).isEqualTo("dave");
        assertThat(r.records().get(1).session().midStream()).isFalse();
    }

    @Test
    void clientGapFlushesWaitingStatementsOnce() {
        SessionScript.Result r = PgSessionQueryTest.loggedIn()
                .client(1_000, query("UPDATE t SET a = 1"))
                .gap(Direction.CLIENT_TO_SERVER, 1_050, 500)
                .server(1_100, commandComplete("UPDATE 4"), readyForQuery('I'))
                .run();

        assertThat(PgSessionQueryTest.statements(r)).singleElement().satisfies(t -> {
            assertThat(t.status()).isEqualTo(RecordStatus.INCOMPLETE);
            assertThat(t.gaps()).isEqualTo(new GapInfo(500, 0));
        });
        assertThat(r.count(PgEvent.UNMATCHED_RESPONSE)).isEqualTo(1);
    }

    @Test
    void closeDuringAResponseEmitsIncompleteForEveryWaitingStatement() {
        SessionScript.Result r = PgSessionQueryTest.loggedIn()
                .client(1_000, query("SELECT 1; SELECT 2"), parse("", "SELECT 3"), bind("", ""), execute("", 0),
                        sync())
                .server(1_100, rowDescription("a"), dataRow("1"))
                .run();

        assertThat(PgSessionQueryTest.statements(r)).extracting(t -> t.statement().text() + " " + t.status())
                .containsExactly("SELECT 1 INCOMPLETE", "SELECT 2 INCOMPLETE", "SELECT 3 INCOMPLETE");
        assertThat(PgSessionQueryTest.statements(r).get(1).response()).isNull();
        assertThat(PgSessionQueryTest.statements(r)).as("no gap cut them: the connection ended")
                .allSatisfy(t -> assertThat(t.gaps()).isNull());
    }

    @Test
    void oversizedAndNegativeLengthsAreCountedWithoutAllocating() {
        byte[] huge = body().int8('D').int32(0x7fffffff).toBytes();
        byte[] negative = body().int8('C').int32(-5).toBytes();
        SessionScript.Result r = PgSessionQueryTest.loggedIn()
                .client(1_000, query("SELECT 1"))
                .server(1_100, huge, new byte[64], negative, new byte[16])
                .client(2_000, body().int8('Q').int32(Integer.MAX_VALUE).toBytes())
                .run(Integer.MAX_VALUE, SessionScript.config(io.dbwire.core.config.StatementMode.NORMALIZED,
                        1024, 1 << 20));

        // The server's huge DataRow and the client's huge Query; the negative length comes while the server
        // direction is already probing, so it is skipped bytes, not a second violation.
        assertThat(r.count(PgEvent.OVERSIZED_LENGTH)).isEqualTo(2);
        assertThat(r.count(PgEvent.RESYNC_SKIPPED_BYTES)).isGreaterThanOrEqualTo(64 + 5 + 16);
        assertThat(PgSessionQueryTest.statements(r)).singleElement()
                .satisfies(t -> assertThat(t.status()).isEqualTo(RecordStatus.INCOMPLETE));
        assertThat(r.count(PgEvent.INTERNAL_ERROR_RESYNCED)).isZero();

        SessionScript.Result neg = PgSessionQueryTest.loggedIn().server(1_100, negative).run();
        assertThat(neg.count(PgEvent.OVERSIZED_LENGTH)).isEqualTo(1);
    }

    @Test
    void lengthBelowTheTypeMinimumIsAViolationAndTheStreamRecovers() {
        SessionScript.Result r = PgSessionQueryTest.loggedIn()
                .client(1_000, query("SELECT 1"))
                .server(1_100, body().int8('Z').int32(9).int8('I').toBytes()) // ReadyForQuery is exactly 5
                .server(1_150, commandComplete("SELECT 1"), readyForQuery('I'))
                .client(2_000, query("SELECT 2"))
                .server(2_100, commandComplete("SELECT 1"), readyForQuery('I'))
                .run();

        assertThat(r.count(PgEvent.PROTOCOL_VIOLATION_LENGTH)).isEqualTo(1);
        assertThat(PgSessionQueryTest.statements(r)).extracting(t -> t.statement().text() + " " + t.status())
                .containsExactly("SELECT 1 INCOMPLETE", "SELECT 2 OK");
    }

    @Test
    void bodyTooShortForItsFieldsIsCounted() {
        // CommandComplete whose tag has no NUL terminator inside the frame.
        SessionScript.Result r = PgSessionQueryTest.loggedIn()
                .client(1_000, query("SELECT 1"))
                .server(1_100, typed('C', body().bytes("SELECT 1".getBytes())), readyForQuery('I'))
                .run();

        assertThat(r.count(PgEvent.PROTOCOL_VIOLATION_BODY)).isEqualTo(1);
        assertThat(PgSessionQueryTest.statements(r)).singleElement().satisfies(t -> {
            assertThat(t.status()).isEqualTo(RecordStatus.OK);
            assertThat(t.response().rowsAffected()).isNull();
        });
    }

    @Test
    void notPostgresAtAllNeverThrowsAndEmitsNothing() {
        SessionScript.Result r = SessionScript.connection()
                .client(0, "GET / HTTP/1.1\r\nHost: db\r\n\r\n".getBytes())
                .server(10, "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes())
                .run();

        assertThat(r.records()).isEmpty();
        assertThat(r.count(PgEvent.PROTOCOL_VIOLATION_STARTUP)).isEqualTo(1);
        assertThat(r.count(PgEvent.RECORDS_EMITTED)).isZero();
        assertThat(r.count(PgEvent.INTERNAL_ERROR_RESYNCED)).isZero();
    }

    @Test
    void typedTrafficWhereAStartupWasExpectedIsMarkedMidStream() {
        SessionScript.Result r = SessionScript.connection() // TCP handshake seen, startup not (e.g. filtered)
                .client(0, query("SELECT 1"))
                .server(100, commandComplete("SELECT 1"), readyForQuery('I'))
                .run();

        assertThat(r.records()).singleElement().satisfies(t -> {
            assertThat(t.statement().text()).isEqualTo("SELECT 1");
            assertThat(t.session().midStream()).isTrue();
            assertThat(t.session().user()).isNull();
        });
        assertThat(r.count(PgEvent.PROTOCOL_VIOLATION_STARTUP)).isEqualTo(1);
    }

    @Test
    void queryLongerThanTheKeptPrefixIsDecodedFromThePrefixAndCounted() {
        String big = "SELECT '" + "x".repeat(300 * 1024) + "'";
        SessionScript.Result r = PgSessionQueryTest.loggedIn()
                .client(1_000, query(big))
                .server(1_100, commandComplete("SELECT 1"), readyForQuery('I'))
                .run(4096);

        assertThat(r.count(PgEvent.MESSAGE_TRUNCATED)).isEqualTo(1);
        assertThat(r.count(PgEvent.STATEMENT_TRUNCATED)).isEqualTo(1);
        assertThat(PgSessionQueryTest.statements(r)).singleElement().satisfies(t -> {
            assertThat(t.request().bytes()).isEqualTo(query(big).length);
            assertThat(t.statement().text()).hasSize(16_384);
        });
    }

    @Test
    void largeDataRowIsSkippedByCountAcrossDeliveries() {
        byte[] bigRow = dataRow("y".repeat(5 << 20)); // 5 MiB, never buffered: DataRow keeps no byte
        SessionScript.Result r = PgSessionQueryTest.loggedIn()
                .client(1_000, query("SELECT blob FROM files"))
                .server(1_100, rowDescription("blob"), bigRow, commandComplete("SELECT 1"), readyForQuery('I'))
                .run(64 * 1024);

        assertThat(PgSessionQueryTest.statements(r)).singleElement().satisfies(t -> {
            assertThat(t.response().rows()).isEqualTo(1);
            assertThat(t.response().bytes()).isEqualTo(rowDescription("blob").length + bigRow.length
                    + commandComplete("SELECT 1").length);
        });
        assertThat(r.count(PgEvent.MESSAGE_TRUNCATED)).isZero();
    }

    @Test
    void inFlightFifoIsBounded() {
        SessionScript script = PgSessionQueryTest.loggedIn();
        byte[] one = query("SELECT 1");
        byte[] many = new byte[one.length * (PgInFlight.MAX_IN_FLIGHT + 10)];
        for (int i = 0; i < PgInFlight.MAX_IN_FLIGHT + 10; i++) {
            System.arraycopy(one, 0, many, i * one.length, one.length);
        }
        SessionScript.Result r = script.client(1_000, many).run();

        assertThat(r.count(PgEvent.INFLIGHT_OVERFLOW)).isEqualTo(10);
        assertThat(PgSessionQueryTest.statements(r)).hasSize(PgInFlight.MAX_IN_FLIGHT + 10)
                .extracting(TransactionRecord::status).containsOnly(RecordStatus.INCOMPLETE);
    }
}
