package io.dbwire.core.protocol.mysql;

import static io.dbwire.core.protocol.mysql.MySqlBytes.column;
import static io.dbwire.core.protocol.mysql.MySqlBytes.err;
import static io.dbwire.core.protocol.mysql.MySqlBytes.ok;
import static io.dbwire.core.protocol.mysql.MySqlBytes.payload;
import static io.dbwire.core.protocol.mysql.MySqlBytes.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.tcp.Direction;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A COM_STMT_PREPARE whose answer (with the statement id) the mirror lost: its executions get the statement only
 * when nothing else can have that id (StatementCatalog), otherwise the honest placeholder.
 */
class MySqlLostPrepareAnswerTest {
    private static final String UPDATE = "UPDATE t SET a = ? WHERE id = ?";

    private static byte[] prepare(String sql) {
        return payload().int1(MySqlWire.COM_STMT_PREPARE).str(sql).packet(0);
    }

    private static byte[][] prepareOk(int id) {
        return new byte[][] {payload().int1(0).int4(id).int2(0).int2(2).int1(0).int2(0).packet(1),
                column(2, "?"), column(3, "?")};
    }

    private static byte[] execute(int id) {
        return payload().int1(MySqlWire.COM_STMT_EXECUTE).int4(id).int1(0).int4(1).int1(0).int1(1)
                .int2(3).int2(3).int4(5).int4(6).packet(0);
    }

    /**
     * Login, then a PREPARE whose whole answer is lost (a gap in the server's direction), then a command answered
     * in step (the parser trusts the server's sequence again).
     */
    private static MySqlScript lostAnswer(MySqlScript connection) {
        return inStep(MySqlFixtures.login(connection, MySqlFixtures.MODERN)
                .client(1000, prepare(UPDATE))
                .gap(Direction.SERVER_TO_CLIENT, 1100, 60), 1200);
    }

    private static MySqlScript inStep(MySqlScript s, long micros) {
        return s.client(micros, query("SET @a = 1")).server(micros + 50, ok(1, 0, 2));
    }

    private static List<TransactionRecord> statements(MySqlScript.Result r) {
        return r.records().stream().filter(x -> x.kind() == RecordKind.STATEMENT).collect(Collectors.toList());
    }

    @Test
    void anIdOnlyTheLostAnswerCanHaveGivenIsItsStatementOnceTheServerAcceptsIt() {
        MySqlScript.Result r = lostAnswer(MySqlScript.connection())
                .client(2000, execute(7)).server(2100, ok(1, 1, 2))
                .client(3000, execute(7)).server(3100, ok(1, 1, 2))
                .run();

        List<TransactionRecord> s = statements(r);
        assertThat(s).extracting(TransactionRecord::status)
                .containsExactly(RecordStatus.INCOMPLETE, RecordStatus.OK, RecordStatus.OK, RecordStatus.OK);
        assertThat(s.subList(2, 4)).allSatisfy(x -> {
            assertThat(x.statement().operation()).isEqualTo("UPDATE");
            assertThat(x.statement().textUnknown()).isNull();
            assertThat(x.statement().text()).isNotNull();
        });
        assertThat(r.count(MySqlEvent.PREPARED_ID_INFERRED)).isEqualTo(1);
    }

    @Test
    void beforeAnAnswerCameInStepAgainNothingIsInferred() {
        MySqlScript.Result r = MySqlFixtures.login(MySqlScript.connection(), MySqlFixtures.MODERN)
                .client(1000, prepare(UPDATE))
                .gap(Direction.SERVER_TO_CLIENT, 1100, 60)
                .client(2000, execute(7)).server(2100, ok(1, 1, 2))
                .run();

        assertThat(statements(r)).last().satisfies(x -> assertThat(x.statement())
                .isEqualTo(MySqlRecords.PREPARE_NOT_SEEN));
    }

    @Test
    void anErrorDoesNotProveTheIdAndTheExecutionKeepsThePlaceholder() {
        MySqlScript.Result r = lostAnswer(MySqlScript.connection())
                .client(2000, execute(7)).server(2100, err(1, 1243, "HY000", "Unknown prepared statement handler"))
                .run();

        assertThat(statements(r)).last().satisfies(x -> assertThat(x.statement())
                .isEqualTo(MySqlRecords.PREPARE_NOT_SEEN));
        assertThat(r.count(MySqlEvent.PREPARED_ID_INFERRED)).isZero();
    }

    @Test
    void twoLostAnswersLeaveTheIdUnknown() {
        MySqlScript.Result r = inStep(lostAnswer(MySqlScript.connection())
                .client(1500, prepare("DELETE FROM t WHERE id = ?"))
                .gap(Direction.SERVER_TO_CLIENT, 1600, 60), 1700)
                .client(2000, execute(7)).server(2100, ok(1, 1, 2))
                .run();

        assertThat(statements(r)).last().satisfies(x -> assertThat(x.statement())
                .isEqualTo(MySqlRecords.PREPARE_NOT_SEEN));
    }

    @Test
    void lostClientBytesWhoseAnswerIsAPrepareOkMayHaveHiddenAnotherPrepare() {
        MySqlScript.Result r = inStep(lostAnswer(MySqlScript.connection())
                .gap(Direction.CLIENT_TO_SERVER, 1500, 40)
                .server(1550, prepareOk(8)), 1600)
                .client(2000, execute(7)).server(2100, ok(1, 1, 2))
                .run();

        assertThat(statements(r)).last().satisfies(x -> assertThat(x.statement())
                .isEqualTo(MySqlRecords.PREPARE_NOT_SEEN));
    }

    @Test
    void lostClientBytesWhoseAnswerWasLostTooMayHaveHiddenAnotherPrepare() {
        MySqlScript.Result r = inStep(lostAnswer(MySqlScript.connection())
                .gap(Direction.CLIENT_TO_SERVER, 1500, 40)
                .gap(Direction.SERVER_TO_CLIENT, 1550, 11), 1600)
                .client(2000, execute(7)).server(2100, ok(1, 1, 2))
                .run();

        assertThat(statements(r)).last().satisfies(x -> assertThat(x.statement())
                .isEqualTo(MySqlRecords.PREPARE_NOT_SEEN));
    }

    @Test
    void lostClientBytesWhoseAnswerIsSeenAndNoPrepareOkHideNoPrepare() {
        MySqlScript.Result r = inStep(lostAnswer(MySqlScript.connection())
                .gap(Direction.CLIENT_TO_SERVER, 1500, 40)
                .server(1550, ok(1, 1, 2)), 1600)
                .client(2000, execute(7)).server(2100, ok(1, 1, 2))
                .run();

        assertThat(statements(r)).last().satisfies(x -> assertThat(x.statement().operation())
                .isEqualTo("UPDATE"));
    }

    @Test
    void aConnectionJoinedMidStreamProvesNothing() {
        MySqlScript.Result r = inStep(MySqlScript.connection().midStream()
                .client(1000, prepare(UPDATE))
                .gap(Direction.SERVER_TO_CLIENT, 1100, 60), 1200)
                .client(2000, execute(7)).server(2100, ok(1, 1, 2))
                .run();

        assertThat(statements(r)).last().satisfies(x -> assertThat(x.statement())
                .isEqualTo(MySqlRecords.PREPARE_NOT_SEEN));
    }

    @Test
    void aKnownIdIsNeverTakenForTheLostOne() {
        MySqlScript.Result r = MySqlFixtures.login(MySqlScript.connection(), MySqlFixtures.MODERN)
                .client(500, prepare("SELECT 1")).server(600, payload().int1(0).int4(3).int2(0).int2(0).int1(0)
                        .int2(0).packet(1))
                .client(1000, prepare(UPDATE))
                .gap(Direction.SERVER_TO_CLIENT, 1100, 60)
                .client(1200, query("SET @a = 1")).server(1250, ok(1, 0, 2))
                .client(2000, execute(3)).server(2100, ok(1, 0, 2))
                .client(3000, execute(9)).server(3100, ok(1, 1, 2))
                .run();

        List<TransactionRecord> s = statements(r);
        assertThat(s.get(s.size() - 2).statement().operation()).isEqualTo("SELECT");
        assertThat(s.get(s.size() - 1).statement().operation()).isEqualTo("UPDATE");
    }

    @Test
    void aPrepareWhoseAnswerWasSeenIsNeverACandidate() {
        MySqlScript.Result r = MySqlFixtures.login(MySqlScript.connection(), MySqlFixtures.MODERN)
                .client(1000, prepare(UPDATE)).server(1100, prepareOk(4))
                .client(2000, execute(8)).server(2100, ok(1, 1, 2))
                .run();

        assertThat(statements(r)).last().satisfies(x -> assertThat(x.statement())
                .isEqualTo(MySqlRecords.PREPARE_NOT_SEEN));
    }
}
