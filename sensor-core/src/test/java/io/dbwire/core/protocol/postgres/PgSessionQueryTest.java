package io.dbwire.core.protocol.postgres;

import static io.dbwire.core.protocol.postgres.PgWireBuilder.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.StatementMode;
import io.dbwire.core.record.ErrorInfo;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.ResponseInfo;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.record.TransactionRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** After login: simple Query batches, the extended protocol with pipelining, COPY, statement modes. */
class PgSessionQueryTest {

    /** A connection already logged in (startup + AuthenticationOk + ReadyForQuery), then {@code rest}. */
    static SessionScript loggedIn() {
        return SessionScript.connection()
                .client(0, startup("user", "app", "database", "shop"))
                .server(10, authOk(), backendKeyData(99, 1), readyForQuery('I'));
    }

    static List<TransactionRecord> statements(SessionScript.Result r) {
        return r.records().subList(1, r.records().size()); // drop the LOGIN record
    }

    @Test
    void multiStatementStringStopsAtTheFailingStatement() {
        byte[] q = query("SELECT 1; SELECT nope; SELECT 3");
        SessionScript.Result r = loggedIn()
                .client(1_000, q)
                .server(1_100, rowDescription("?column?"), dataRow("1"), commandComplete("SELECT 1"))
                .server(1_200, error("42703", "column \"nope\" does not exist"), readyForQuery('I'))
                .run();

        List<TransactionRecord> s = statements(r);
        assertThat(s).hasSize(2); // SELECT 3 was skipped by the server: no record
        assertThat(s.get(0).statement().text()).isEqualTo("SELECT 1");
        assertThat(s.get(0).status()).isEqualTo(RecordStatus.OK);
        assertThat(s.get(0).request().bytes()).isEqualTo(q.length);
        assertThat(s.get(0).response().rows()).isEqualTo(1);
        assertThat(s.get(1).statement().text()).isEqualTo("SELECT nope");
        assertThat(s.get(1).status()).isEqualTo(RecordStatus.ERROR);
        assertThat(s.get(1).error()).isEqualTo(new ErrorInfo("42703", "column \"nope\" does not exist"));
        assertThat(s.get(1).request().bytes()).isZero(); // the Query's bytes went to the first statement
        assertThat(s.get(1).tsMicros()).isEqualTo(SessionScript.T0 + 1_000);
        assertThat(s.get(1).response().serverUs()).isEqualTo(200);
        assertThat(s.get(1).response().rows()).isNull();
        assertThat(r.count(PgEvent.STATEMENT_PAIRING_MISMATCH)).isZero();
    }

    @Test
    void commandTagsGiveRowsAffected() {
        SessionScript.Result r = loggedIn()
                .client(1_000, query("INSERT INTO t VALUES (1); UPDATE t SET a = 2; DELETE FROM t; "
                        + "CREATE TABLE u AS SELECT 1; ; "))
                .server(1_100, commandComplete("INSERT 0 5"), commandComplete("UPDATE 3"),
                        commandComplete("DELETE 7"), commandComplete("SELECT 1"), readyForQuery('I'))
                .run();

        assertThat(statements(r)).extracting(t -> t.response().rowsAffected()).containsExactly(5L, 3L, 7L, null);
        assertThat(statements(r)).extracting(t -> t.response().rows()).containsExactly(null, null, null, 1L);
    }

    @Test
    void aCommitOfAFailedTransactionIsAnsweredRollbackAndSaysSo() {
        SessionScript.Result r = loggedIn()
                .client(1_000, query("BEGIN"))
                .server(1_100, commandComplete("BEGIN"), readyForQuery('T'))
                .client(2_000, query("SELECT 1/0"))
                .server(2_100, error("22012", "division by zero"), readyForQuery('E'))
                .client(3_000, query("COMMIT"))
                .server(3_100, commandComplete("ROLLBACK"), readyForQuery('I')) // the failed transaction's end
                .client(4_000, query("BEGIN; COMMIT"))
                .server(4_100, commandComplete("BEGIN"), commandComplete("COMMIT"), readyForQuery('I'))
                .run();
        List<TransactionRecord> s = statements(r);
        TransactionRecord commit = s.get(2);
        assertThat(commit.statement().operation()).isEqualTo("COMMIT");
        assertThat(commit.status()).isEqualTo(RecordStatus.OK);
        assertThat(commit.response().commandTag()).isEqualTo("ROLLBACK");
        assertThat(commit.response().transaction()).isEqualTo(ResponseInfo.ROLLED_BACK);
        assertThat(s.get(4).response().commandTag()).isEqualTo("COMMIT");
        assertThat(s.get(4).response().transaction()).isEqualTo(ResponseInfo.COMMITTED);
        assertThat(s.get(0).response().transaction()).isNull(); // BEGIN ends nothing
        assertThat(s.get(1).response().commandTag()).isNull(); // an error has no tag
    }

    @Test
    void commandTagsAreRecordedAsSentUpToTheServersOwnLimit() {
        String longTag = "X".repeat(100);
        SessionScript.Result r = loggedIn()
                .client(1_000, query("INSERT INTO t VALUES (1); SELECT 1"))
                .server(1_100, commandComplete("INSERT 0 1"), commandComplete(longTag), readyForQuery('I'))
                .run();
        assertThat(statements(r)).extracting(t -> t.response().commandTag())
                .containsExactly("INSERT 0 1", "X".repeat(CommandTag.MAX_RECORDED_LENGTH));
    }

    @Test
    void emptyQueryGetsOneRecord() {
        SessionScript.Result r = loggedIn()
                .client(1_000, query(""))
                .server(1_100, emptyQuery(), readyForQuery('I'))
                .run();

        assertThat(statements(r)).singleElement().satisfies(t -> {
            assertThat(t.status()).isEqualTo(RecordStatus.OK);
            assertThat(t.response().rows()).isNull();
        });
    }

    /** Parse/Bind/Describe/Execute x2 pipelined before one Sync; the named statement is bound again later. */
    @Test
    void extendedPipelineWithNamedStatementReused() {
        String sql = "SELECT name FROM users WHERE id = $1";
        byte[] batch = cat(
                parse("S_1", sql), bind("", "S_1", "7"), describe('P', ""), execute("", 0),
                parse("", "UPDATE users SET seen = now() WHERE id = $1"), bind("", "", "7"), execute("", 0),
                sync());
        SessionScript.Result r = loggedIn()
                .client(1_000, batch)
                .server(1_300, parseComplete(), bindComplete(), rowDescription("name"), dataRow("ann"),
                        commandComplete("SELECT 1"),
                        parseComplete(), bindComplete(), commandComplete("UPDATE 1"), readyForQuery('I'))
                .client(2_000, bind("", "S_1", "8"), execute("", 0), sync())
                .server(2_400, bindComplete(), dataRow("bob"), dataRow("bea"), commandComplete("SELECT 2"),
                        readyForQuery('I'))
                .run();

        List<TransactionRecord> s = statements(r);
        assertThat(s).extracting(t -> t.statement().text())
                .containsExactly(sql, "UPDATE users SET seen = now() WHERE id = $1", sql);
        assertThat(s).extracting(TransactionRecord::status).containsOnly(RecordStatus.OK);
        assertThat(s.get(0).response().rows()).isEqualTo(1);
        assertThat(s.get(1).response().rowsAffected()).isEqualTo(1);
        assertThat(s.get(1).response().rows()).isNull();
        // Reused without Describe: rows still counted from DataRows.
        assertThat(s.get(2).response().rows()).isEqualTo(2);
        assertThat(s.get(2).tsMicros()).isEqualTo(SessionScript.T0 + 2_000);
        assertThat(s.get(2).request().bytes()).isEqualTo(bind("", "S_1", "8").length + execute("", 0).length);
        assertThat(s.get(2).response().bytes()).isEqualTo(bindComplete().length + dataRow("bob").length
                + dataRow("bea").length + commandComplete("SELECT 2").length);
        assertThat(s.get(2).response().serverUs()).isEqualTo(400);
        long firstRequest = parse("S_1", sql).length + bind("", "S_1", "7").length + describe('P', "").length
                + execute("", 0).length;
        assertThat(s.get(0).request().bytes()).isEqualTo(firstRequest);
        assertThat(r.count(PgEvent.UNMATCHED_RESPONSE)).isZero();
        assertThat(r.count(PgEvent.UNKNOWN_PREPARED_STATEMENT)).isZero();
    }

    @Test
    void portalSuspendedCompletesEachExecute() {
        SessionScript.Result r = loggedIn()
                .client(1_000, parse("", "SELECT g FROM big"), bind("c1", ""), execute("c1", 2), flushMsg())
                .server(1_100, parseComplete(), bindComplete(), dataRow("1"), dataRow("2"), portalSuspended())
                .client(1_200, execute("c1", 2), sync())
                .server(1_300, dataRow("3"), commandComplete("SELECT 1"), readyForQuery('I'))
                .run();

        assertThat(statements(r)).extracting(t -> t.response().rows()).containsExactly(2L, 1L);
        assertThat(statements(r)).extracting(t -> t.statement().text()).containsOnly("SELECT g FROM big");
    }

    static byte[] flushMsg() {
        return typed('H', body());
    }

    @Test
    void parseErrorGivesOneErrorRecordForTheParseTextAndDiscardsUpToSync() {
        SessionScript.Result r = loggedIn()
                .client(1_000, parse("", "SELEC 1"), bind("", ""), execute("", 0),
                        parse("", "SELECT 2"), bind("", ""), execute("", 0), sync())
                .server(1_100, error("42601", "syntax error at or near \"SELEC\""), readyForQuery('I'))
                .client(2_000, parse("", "SELECT 3"), bind("", ""), execute("", 0), sync())
                .server(2_100, parseComplete(), bindComplete(), dataRow("3"), commandComplete("SELECT 1"),
                        readyForQuery('I'))
                .run();

        List<TransactionRecord> s = statements(r);
        assertThat(s).hasSize(2);
        assertThat(s.get(0).statement().text()).isEqualTo("SELEC 1");
        assertThat(s.get(0).statement().operation()).isEqualTo("SELEC");
        assertThat(s.get(0).status()).isEqualTo(RecordStatus.ERROR);
        assertThat(s.get(0).error().code()).isEqualTo("42601");
        assertThat(s.get(1).statement().text()).isEqualTo("SELECT 3");
        assertThat(s.get(1).status()).isEqualTo(RecordStatus.OK);
        assertThat(r.count(PgEvent.UNMATCHED_RESPONSE)).isZero();
    }

    @Test
    void executeErrorIsRecordedOnceAndLaterExecutesBeforeSyncGetNone() {
        SessionScript.Result r = loggedIn()
                .client(1_000, parse("ins", "INSERT INTO t VALUES ($1)"), bind("", "ins", "1"), execute("", 0),
                        bind("", "ins", "1"), execute("", 0), sync())
                .server(1_100, parseComplete(), bindComplete(), commandComplete("INSERT 0 1"), bindComplete(),
                        error("23505", "duplicate key value violates unique constraint"), readyForQuery('E'))
                .run();

        assertThat(statements(r)).extracting(TransactionRecord::status)
                .containsExactly(RecordStatus.OK, RecordStatus.ERROR);
    }

    @Test
    void bindOfAStatementParsedBeforeTheCaptureGetsThePlaceholder() {
        SessionScript.Result r = loggedIn()
                .client(1_000, bind("", "S_7", "1"), execute("", 0), sync())
                .server(1_100, bindComplete(), commandComplete("DELETE 1"), readyForQuery('I'))
                .run();

        // No text, and it says why; the operation is the command tag's, the server's own word for what ran.
        assertThat(statements(r)).singleElement().satisfies(t -> {
            assertThat(t.statement()).isEqualTo(new StatementInfo(null, "0000000000000000", "DELETE", null,
                    StatementInfo.PREPARE_NOT_SEEN));
            assertThat(t.response().rowsAffected()).isEqualTo(1);
        });
        assertThat(r.count(PgEvent.UNKNOWN_PREPARED_STATEMENT)).isEqualTo(1);
    }

    @Test
    void aStatementWithUnknownTextNamesOnlyWhatTheAnswerSays() {
        SessionScript.Result r = loggedIn()
                .client(1_000, bind("", "S_1", "1"), execute("", 0), sync(), bind("", "S_2"), execute("", 0), sync(),
                        bind("", "S_3"), execute("", 0), sync())
                .server(1_100, bindComplete(), error("23505", "duplicate key value violates unique constraint"),
                        readyForQuery('E'), bindComplete(), commandComplete("START TRANSACTION"), readyForQuery('T'),
                        bindComplete(), commandComplete("CREATE TABLE"), readyForQuery('T'))
                .run();

        // An error names no command: UNKNOWN. START TRANSACTION is BEGIN, as for a statement with its text.
        assertThat(statements(r)).extracting(t -> t.statement().operation())
                .containsExactly("UNKNOWN", "BEGIN", "CREATE");
        assertThat(statements(r)).extracting(t -> t.statement().textUnknown())
                .containsOnly(StatementInfo.PREPARE_NOT_SEEN);
    }

    @Test
    void aStatementWhoseParseWasSeenHasNoTextUnknownMarker() {
        SessionScript.Result r = loggedIn()
                .client(1_000, parse("s1", "DELETE FROM t"), sync(), bind("", "s1"), execute("", 0), sync())
                .server(1_100, parseComplete(), readyForQuery('I'), bindComplete(), commandComplete("DELETE 1"),
                        readyForQuery('I'))
                .run();

        assertThat(statements(r)).singleElement().satisfies(t -> {
            assertThat(t.statement().textUnknown()).isNull();
            assertThat(t.statement().operation()).isEqualTo("DELETE");
        });
    }

    @Test
    void copyOutCountsCopyDataRows() {
        SessionScript.Result r = loggedIn()
                .client(1_000, query("COPY t TO STDOUT"))
                .server(1_100, copyOutResponse(2), copyData("1\ta\n"), copyData("2\tb\n"), copyData("3\tc\n"),
                        copyDone(), commandComplete("COPY 3"), readyForQuery('I'))
                .run();

        assertThat(statements(r)).singleElement().satisfies(t -> {
            assertThat(t.statement().operation()).isEqualTo("COPY");
            assertThat(t.response().rows()).isEqualTo(3);
            assertThat(t.response().rowsAffected()).isEqualTo(3);
            assertThat(t.response().bytes()).isEqualTo(copyOutResponse(2).length + 3L * copyData("1\ta\n").length
                    + copyDone().length + commandComplete("COPY 3").length);
        });
        assertThat(r.count(PgEvent.COPY_DATA_MESSAGES)).isEqualTo(3);
    }

    @Test
    void copyInCountsClientDataAsRequestBytes() {
        byte[] q = query("COPY t FROM STDIN");
        SessionScript.Result r = loggedIn()
                .client(1_000, q)
                .server(1_050, copyInResponse(2))
                .client(1_100, copyData("1\ta\n"), copyData("2\tb\n"), copyDone())
                .server(1_300, commandComplete("COPY 2"), readyForQuery('I'))
                .client(2_000, query("COPY t FROM STDIN"))
                .server(2_050, copyInResponse(2))
                .client(2_100, copyFail("client gave up"))
                .server(2_200, error("57014", "COPY from stdin failed: client gave up"), readyForQuery('I'))
                .run();

        List<TransactionRecord> s = statements(r);
        assertThat(s).hasSize(2);
        assertThat(s.get(0).response().rowsAffected()).isEqualTo(2);
        assertThat(s.get(0).response().rows()).isNull();
        assertThat(s.get(0).request().bytes()).isEqualTo(q.length + 2L * copyData("1\ta\n").length + copyDone().length);
        assertThat(s.get(0).response().durationUs()).isEqualTo(300);
        assertThat(s.get(1).status()).isEqualTo(RecordStatus.ERROR);
        assertThat(s.get(1).error().code()).isEqualTo("57014");
        assertThat(r.count(PgEvent.COPY_DATA_MESSAGES)).isEqualTo(2);
    }

    @Test
    void statementModeFullCutsTextAndOffDropsIt() {
        SessionScript script = loggedIn()
                .client(1_000, query("SELECT 'ééééé'"))
                .server(1_100, commandComplete("SELECT 1"), readyForQuery('I'));

        SessionScript.Result full = script.run(Integer.MAX_VALUE, SessionScript.config(StatementMode.FULL, 9, 1 << 20));
        // 9 bytes of UTF-8: "SELECT 'é" is 10, so the cut stops before the two-byte character.
        assertThat(statements(full).get(0).statement().text()).isEqualTo("SELECT '");
        assertThat(full.count(PgEvent.STATEMENT_TRUNCATED)).isEqualTo(1);

        SessionScript.Result off = script.run(Integer.MAX_VALUE, SessionScript.config(StatementMode.OFF, 9, 1 << 20));
        StatementInfo info = statements(off).get(0).statement();
        assertThat(info.text()).isNull();
        assertThat(info.fingerprint()).isEqualTo(FakeNormalizer.fingerprint("SELECT 'ééééé'"));
        assertThat(info.operation()).isEqualTo("SELECT");
    }

    @Test
    void responseWithoutRequestIsCountedUnmatched() {
        SessionScript.Result r = loggedIn()
                .server(500, commandComplete("SELECT 1"), readyForQuery('I'))
                .run();

        assertThat(statements(r)).isEmpty();
        assertThat(r.count(PgEvent.UNMATCHED_RESPONSE)).isEqualTo(1);
    }

    @Test
    void applicationNameChangeReportedByTheServerIsUsed() {
        SessionScript.Result r = loggedIn()
                .client(1_000, query("SET application_name = 'etl'"))
                .server(1_100, parameterStatus("application_name", "etl"), commandComplete("SET"),
                        readyForQuery('I'))
                .client(1_200, query("SELECT 1"))
                .server(1_300, rowDescription("x"), dataRow("1"), commandComplete("SELECT 1"), readyForQuery('I'))
                .run();

        assertThat(statements(r).get(1).session().application()).isEqualTo("etl");
        assertThat(statements(r).get(1).response()).isEqualTo(new ResponseInfo(1L, null,
                rowDescription("x").length + dataRow("1").length + commandComplete("SELECT 1").length, 100L, 100L,
                "SELECT 1", null));
    }
}
