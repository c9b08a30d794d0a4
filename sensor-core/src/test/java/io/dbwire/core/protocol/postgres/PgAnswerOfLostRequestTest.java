package io.dbwire.core.protocol.postgres;

import static io.dbwire.core.protocol.postgres.PgWireBuilder.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.tcp.Direction;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The mirror lost a request whose answer it then delivered: while nothing else was in flight and the server was
 * in step, that answer can only be the lost request's, so it becomes a record whose text is unknown
 * ({@code request_not_seen}) with the operation and rows the server named — never an answer paired with another
 * request, never a second record for a statement already emitted.
 */
class PgAnswerOfLostRequestTest {
    private static final Direction SERVER = Direction.SERVER_TO_CLIENT;
    private static final Direction CLIENT = Direction.CLIENT_TO_SERVER;

    /** One exchange answered in step: its ReadyForQuery shows the server has answered everything before. */
    private static SessionScript answered() {
        return PgSessionQueryTest.loggedIn()
                .client(500, query("SELECT 1"))
                .server(600, rowDescription("x"), dataRow("1"), commandComplete("SELECT 1"), readyForQuery('I'));
    }

    @Test
    void anAnswerAfterALostQueryIsARecordWithTheServersOperationAndRows() {
        SessionScript.Result r = answered()
                .gap(CLIENT, 1_000, 40)
                .server(1_200, rowDescription("a"), dataRow("1"), dataRow("2"), dataRow("3"),
                        commandComplete("SELECT 3"), readyForQuery('I'))
                .client(2_000, query("UPDATE t SET a = 1"))
                .server(2_100, commandComplete("UPDATE 4"), readyForQuery('I'))
                .run();

        List<TransactionRecord> s = PgSessionQueryTest.statements(r);
        assertThat(s).hasSize(3);
        TransactionRecord lost = s.get(1);
        assertThat(lost.status()).isEqualTo(RecordStatus.OK);
        assertThat(lost.statement().text()).isNull();
        assertThat(lost.statement().textUnknown()).isEqualTo(StatementInfo.REQUEST_NOT_SEEN);
        assertThat(lost.statement().operation()).isEqualTo("SELECT");
        assertThat(lost.response().rows()).isEqualTo(3);
        assertThat(lost.response().commandTag()).isEqualTo("SELECT 3");
        assertThat(lost.tsMicros()).as("its answer's first packet: the latest the request can have been")
                .isEqualTo(s.get(0).tsMicros() - 500 + 1_200);
        assertThat(lost.response().serverUs()).isNull();
        assertThat(lost.response().durationUs()).isNull();
        assertThat(lost.gaps()).as("whole: only its text is unknown").isNull();
        assertThat(s.get(2).statement().operation()).isEqualTo("UPDATE");
        assertThat(s.get(2).response().rowsAffected()).isEqualTo(4);
        assertThat(s.get(2).statement().textUnknown()).isNull();
        assertThat(r.count(PgEvent.ANSWER_OF_LOST_REQUEST)).isEqualTo(1);
        assertThat(r.count(PgEvent.UNMATCHED_RESPONSE)).isZero();
    }

    @Test
    void aLostExtendedGroupAndALostMultiStatementQueryGiveOneRecordPerResult() {
        SessionScript.Result extended = answered()
                .gap(CLIENT, 1_000, 80) // Parse, Bind, Describe, Execute, Sync
                .server(1_200, parseComplete(), bindComplete(), noData(), commandComplete("INSERT 0 1"),
                        readyForQuery('I'))
                .run();
        SessionScript.Result multi = answered()
                .gap(CLIENT, 1_000, 60) // "SELECT 1; DELETE FROM t"
                .server(1_200, rowDescription("a"), dataRow("1"), commandComplete("SELECT 1"),
                        commandComplete("DELETE 2"), readyForQuery('I'))
                .run();

        assertThat(PgSessionQueryTest.statements(extended)).last().satisfies(t -> {
            assertThat(t.statement().operation()).isEqualTo("INSERT");
            assertThat(t.response().rowsAffected()).isEqualTo(1);
            assertThat(t.statement().textUnknown()).isEqualTo(StatementInfo.REQUEST_NOT_SEEN);
        });
        assertThat(PgSessionQueryTest.statements(extended)).hasSize(2);
        assertThat(PgSessionQueryTest.statements(multi)).extracting(t -> t.statement().operation())
                .containsExactly("SELECT", "SELECT", "DELETE");
        assertThat(PgSessionQueryTest.statements(multi)).extracting(t -> t.response().rows())
                .containsExactly(1L, 1L, null);
    }

    @Test
    void anErrorAnswersTheLostRequestButTheServerEndingTheSessionDoesNot() {
        SessionScript.Result error = answered()
                .gap(CLIENT, 1_000, 40)
                .server(1_200, error("42P01", "relation \"nope\" does not exist"), readyForQuery('I'))
                .run();
        SessionScript.Result fatal = answered()
                .gap(CLIENT, 1_000, 5) // Terminate lost, say
                .server(1_200, fatal("57P01", "terminating connection due to administrator command"))
                .run();

        assertThat(PgSessionQueryTest.statements(error)).last().satisfies(t -> {
            assertThat(t.status()).isEqualTo(RecordStatus.ERROR);
            assertThat(t.error().code()).isEqualTo("42P01");
            assertThat(t.statement().operation()).isEqualTo("UNKNOWN");
        });
        assertThat(PgSessionQueryTest.statements(fatal)).hasSize(1);
    }

    @Test
    void aStatementInFlightAtTheHoleKeepsItsAnswerFromBecomingASecondRecord() {
        // The hole flushed the Query in flight (incomplete); its answer comes after the hole and must not be
        // taken for the lost request's: that would record one statement twice.
        SessionScript.Result r = answered()
                .client(1_000, query("SELECT * FROM t"))
                .gap(CLIENT, 1_050, 40)
                .server(1_200, rowDescription("a"), dataRow("1"), commandComplete("SELECT 1"), readyForQuery('I'))
                .run();

        assertThat(PgSessionQueryTest.statements(r)).extracting(TransactionRecord::status)
                .containsExactly(RecordStatus.OK, RecordStatus.INCOMPLETE);
        assertThat(r.count(PgEvent.ANSWER_OF_LOST_REQUEST)).isZero();
    }

    @Test
    void aServerHoleOrAClientMessageAfterTheClientHoleEndsTheExpectation() {
        SessionScript.Result serverHole = answered()
                .gap(CLIENT, 1_000, 40)
                .gap(SERVER, 1_100, 700)
                .server(1_200, dataRow("9"), commandComplete("SELECT 7"), readyForQuery('I'))
                .run();
        SessionScript.Result lostThenOutOfStep = PgSessionQueryTest.loggedIn()
                .client(500, query("SELECT 1"))
                .gap(SERVER, 550, 300) // its answer lost: the server may still be sending it
                .gap(CLIENT, 1_000, 40)
                .server(1_200, dataRow("9"), commandComplete("SELECT 1"), readyForQuery('I'))
                .run();

        assertThat(PgSessionQueryTest.statements(serverHole)).hasSize(1);
        assertThat(serverHole.count(PgEvent.ANSWER_OF_LOST_REQUEST)).isZero();
        assertThat(PgSessionQueryTest.statements(lostThenOutOfStep)).extracting(TransactionRecord::status)
                .containsExactly(RecordStatus.INCOMPLETE);
        assertThat(lostThenOutOfStep.count(PgEvent.ANSWER_OF_LOST_REQUEST)).isZero();
    }
}
