package io.dbwire.core.protocol.mysql;

import static io.dbwire.core.protocol.mysql.MySqlBytes.column;
import static io.dbwire.core.protocol.mysql.MySqlBytes.eof;
import static io.dbwire.core.protocol.mysql.MySqlBytes.err;
import static io.dbwire.core.protocol.mysql.MySqlBytes.ok;
import static io.dbwire.core.protocol.mysql.MySqlBytes.okEof;
import static io.dbwire.core.protocol.mysql.MySqlBytes.payload;
import static io.dbwire.core.protocol.mysql.MySqlBytes.query;
import static io.dbwire.core.protocol.mysql.MySqlBytes.textRow;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MySqlCommandPhaseTest {
    static final int MORE = MySqlWire.SERVER_MORE_RESULTS_EXISTS;

    static MySqlScript session(long caps) {
        return MySqlFixtures.login(MySqlScript.connection(), caps);
    }

    static List<TransactionRecord> statements(MySqlScript.Result r) {
        return r.records().stream().filter(x -> x.kind() == RecordKind.STATEMENT).collect(Collectors.toList());
    }

    /** A SELECT answered with a text result set under CLIENT_DEPRECATE_EOF: no EOF after the columns. */
    static MySqlScript selectTwoRows(MySqlScript s) {
        return s.client(1000, query("SELECT id, name FROM t WHERE id > 5"))
                .server(1500,
                        payload().lenenc(2).packet(1),      // column count 2
                        column(2, "id"), column(3, "name"),  // column definitions
                        textRow(4, "6", "six"), textRow(5, "7", null),
                        okEof(6, 0x0002));                  // 0xFE OK: end of rows
    }

    @Test
    void textResultSetCountsRowsAndBytes() {
        MySqlScript.Result r = selectTwoRows(session(MySqlFixtures.MODERN)).run();
        assertThat(statements(r)).singleElement().satisfies(s -> {
            assertThat(s.statement().text()).isEqualTo("SELECT id, name FROM t WHERE id > 5");
            assertThat(s.statement().operation()).isEqualTo("SELECT");
            assertThat(s.response().rows()).isEqualTo(2);
            assertThat(s.response().rowsAffected()).isNull();
            assertThat(s.request().bytes()).isEqualTo(query("SELECT id, name FROM t WHERE id > 5").length);
            assertThat(s.response().serverUs()).isEqualTo(500);
            assertThat(s.response().durationUs()).isEqualTo(500);
            assertThat(s.status()).isEqualTo(RecordStatus.OK);
        });
        assertThat(r.count(MySqlEvent.ROWS)).isEqualTo(2);
        assertThat(r.count(MySqlEvent.SEQUENCE_VIOLATION)).isZero();
    }

    @Test
    void classicEofAfterColumnsAndRows() {
        long caps = MySqlFixtures.MODERN & ~MySqlWire.CLIENT_DEPRECATE_EOF;
        MySqlScript.Result r = session(caps)
                .client(1000, query("SELECT 1"))
                .server(1100, payload().lenenc(1).packet(1), column(2, "1"), eof(3, 2), textRow(4, "1"), eof(5, 2))
                .run();
        assertThat(statements(r)).singleElement().satisfies(s -> assertThat(s.response().rows()).isEqualTo(1));
    }

    @Test
    void okCarriesAffectedRowsAndErrCarriesTheErrorNumber() {
        MySqlScript.Result r = session(MySqlFixtures.MODERN)
                .client(1000, query("UPDATE t SET a = 1 WHERE id IN (1, 2, 3)"))
                .server(1100, ok(1, 3, 2))
                .client(2000, query("INSERT INTO t VALUES (1)"))
                .server(2100, err(1, 1062, "23000", "Duplicate entry '1' for key 'PRIMARY'"))
                .run();
        List<TransactionRecord> s = statements(r);
        assertThat(s.get(0).response().rowsAffected()).isEqualTo(3);
        assertThat(s.get(0).response().rows()).isNull();
        assertThat(s.get(1).status()).isEqualTo(RecordStatus.ERROR);
        assertThat(s.get(1).error().code()).isEqualTo("1062");
        assertThat(s.get(1).error().message()).isEqualTo("Duplicate entry '1' for key 'PRIMARY'");
    }

    @Test
    void multiStatementPairsResultsWithSplitStatementsAndStopsAtTheError() {
        MySqlScript.Result r = session(MySqlFixtures.MODERN)
                .client(1000, query("SELECT 1; UPDATE t SET a = 2; SELECT nope FROM t; SELECT 3"))
                .server(1100, payload().lenenc(1).packet(1), column(2, "1"), textRow(3, "1"), okEof(4, 2 | MORE),
                        ok(5, 4, 2 | MORE),
                        err(6, 1054, "42S22", "Unknown column 'nope' in 'field list'"))
                .run();
        List<TransactionRecord> s = statements(r);
        assertThat(s).extracting(x -> x.statement().text())
                .containsExactly("SELECT 1", "UPDATE t SET a = 2", "SELECT nope FROM t");
        assertThat(s).extracting(TransactionRecord::status)
                .containsExactly(RecordStatus.OK, RecordStatus.OK, RecordStatus.ERROR);
        assertThat(s.get(0).response().rows()).isEqualTo(1);
        assertThat(s.get(1).response().rowsAffected()).isEqualTo(4);
        assertThat(s.get(1).request().bytes()).isZero();
        assertThat(s.get(2).error().code()).isEqualTo("1054");
    }

    @Test
    void callResultSetsAllBelongToTheCall() {
        MySqlScript.Result r = session(MySqlFixtures.MODERN)
                .client(1000, query("CALL two()"))
                .server(1100, payload().lenenc(1).packet(1), column(2, "a"), textRow(3, "1"), okEof(4, 2 | MORE),
                        payload().lenenc(1).packet(5), column(6, "id"), textRow(7, "1"), textRow(8, "2"),
                        okEof(9, 2 | MORE),
                        ok(10, 0, 2))
                .client(2000, query("SELECT 9"))
                .server(2100, payload().lenenc(1).packet(1), column(2, "9"), textRow(3, "9"), okEof(4, 2))
                .run();
        List<TransactionRecord> s = statements(r);
        assertThat(s).extracting(x -> x.statement().operation()).containsExactly("CALL", "SELECT");
        assertThat(s.get(0).response().rows()).isEqualTo(3);
        assertThat(r.count(MySqlEvent.STATEMENT_PAIRING_MISMATCH)).isZero();
    }

    @Test
    void prepareExecuteCloseResolveTheTextByStatementId() {
        MySqlScript.Result r = session(MySqlFixtures.MODERN)
                .client(1000, payload().int1(MySqlWire.COM_STMT_PREPARE).str("SELECT name FROM t WHERE id = ?")
                        .packet(0))
                .server(1100, payload().int1(0).int4(5).int2(1).int2(1).int1(0).int2(0).packet(1), // PREPARE_OK id 5
                        column(2, "?"), column(3, "name"))   // one parameter, one column (no EOFs)
                .client(2000, payload().int1(MySqlWire.COM_STMT_EXECUTE).int4(5).int1(0).int4(1) // id, flags, iter
                        .int1(0).int1(1).int2(3).int4(42).packet(0))  // null bitmap, bound, LONG 42
                .server(2100, payload().lenenc(1).packet(1), column(2, "name"),
                        payload().int1(0).int1(0).lenencStr("x").packet(3),  // binary row
                        okEof(4, 2))
                .client(3000, payload().int1(MySqlWire.COM_STMT_CLOSE).int4(5).packet(0))
                .client(4000, payload().int1(MySqlWire.COM_STMT_EXECUTE).int4(99).int1(0).int4(1).packet(0))
                .server(4100, err(1, 1243, "HY000", "Unknown prepared statement handler (99) given to mysqld_stmt_execute"))
                .run();
        List<TransactionRecord> s = statements(r);
        assertThat(s).extracting(x -> x.statement().operation())
                .containsExactly("PREPARE", "SELECT", "CLOSE_STMT", "UNKNOWN");
        assertThat(s.get(1).statement().text()).isEqualTo("SELECT name FROM t WHERE id = ?");
        assertThat(s.get(1).statement().fingerprint()).isEqualTo(s.get(0).statement().fingerprint());
        assertThat(s.get(1).response().rows()).isEqualTo(1);
        assertThat(s.get(2).response()).isNull();
        assertThat(s.get(3).statement().fingerprint()).isEqualTo("0000000000000000");
        assertThat(r.count(MySqlEvent.UNKNOWN_PREPARED_STATEMENT)).isEqualTo(1);
    }

    @Test
    void initDbAndUseChangeTheSessionDatabase() {
        MySqlScript.Result r = session(MySqlFixtures.MODERN)
                .client(1000, payload().int1(MySqlWire.COM_INIT_DB).str("sales").packet(0))
                .server(1100, ok(1, 0, 2))
                .client(2000, query("SELECT 1"))
                .server(2100, ok(1, 0, 2))
                .client(3000, query("USE `hr`"))
                .server(3100, ok(1, 0, 2))
                .client(4000, query("SELECT 2"))
                .server(4100, ok(1, 0, 2))
                .run();
        List<TransactionRecord> s = statements(r);
        assertThat(s.get(0).statement().operation()).isEqualTo("INIT_DB");
        assertThat(s.get(1).session().database()).isEqualTo("sales");
        assertThat(s.get(3).session().database()).isEqualTo("hr");
    }

    @Test
    void localInfileUploadIsCountedIntoTheRequest() {
        MySqlScript.Result r = session(MySqlFixtures.MODERN)
                .client(1000, query("LOAD DATA LOCAL INFILE '/tmp/a.csv' INTO TABLE t"))
                .server(1100, payload().int1(0xfb).str("/tmp/a.csv").packet(1))   // LOCAL INFILE request
                .client(1200, payload().str("1,a\n2,b\n").packet(2), payload().packet(3)) // data, then empty packet
                .server(1300, ok(4, 2, 2))
                .run();
        assertThat(statements(r)).singleElement().satisfies(s -> {
            assertThat(s.response().rowsAffected()).isEqualTo(2);
            assertThat(s.request().bytes())
                    .isEqualTo(query("LOAD DATA LOCAL INFILE '/tmp/a.csv' INTO TABLE t").length + 12 + 4);
        });
        assertThat(r.count(MySqlEvent.LOCAL_INFILE_BYTES)).isEqualTo(8);
        assertThat(r.count(MySqlEvent.SEQUENCE_VIOLATION)).isZero();
    }

    @Test
    void queryAttributesArePassedOverToReachTheText() {
        long caps = MySqlFixtures.MODERN | MySqlWire.CLIENT_QUERY_ATTRIBUTES;
        byte[] q = payload()
                .int1(MySqlWire.COM_QUERY)
                .lenenc(2)                  // parameter_count
                .lenenc(1)                  // parameter_set_count
                .int1(0x00)                 // NULL bitmap: none null
                .int1(1)                    // new_params_bind_flag
                .int2(0x00fe).lenencStr("trace_id") // MYSQL_TYPE_STRING "trace_id"
                .int2(0x0008).lenencStr("n")        // MYSQL_TYPE_LONGLONG "n"
                .lenencStr("abc-123")       // value of trace_id
                .int4(7).int4(0)            // value of n (8 bytes)
                .str("SELECT * FROM t WHERE a = 'x'")
                .packet(0);
        MySqlScript.Result r = session(caps).client(1000, q).server(1100, ok(1, 0, 2)).run();
        assertThat(statements(r)).singleElement().satisfies(s ->
                assertThat(s.statement().text()).isEqualTo("SELECT * FROM t WHERE a = 'x'"));
    }

    @Test
    void mariaDbProgressReportIsNotAnError() {
        MySqlScript.Result r = session(MySqlFixtures.MODERN)
                .client(1000, query("ALTER TABLE t ADD COLUMN b int"))
                .server(1100, payload().int1(0xff).int2(0xffff).int1(1).int1(1).int1(2).int3(50000)
                        .lenencStr("copy to tmp table").packet(1))  // progress: stage 1 of 2, 50.000 %
                .server(1200, ok(2, 0, 2))
                .run();
        assertThat(statements(r)).singleElement().satisfies(s -> assertThat(s.status()).isEqualTo(RecordStatus.OK));
        assertThat(r.count(MySqlEvent.PROGRESS_REPORTS)).isEqualTo(1);
    }

    @Test
    void changeUserIsALoginThatChangesIdentity() {
        MySqlScript.Result r = session(MySqlFixtures.MODERN)
                .client(1000, payload().int1(MySqlWire.COM_CHANGE_USER).nul("dave").int1(20).bytes(new byte[20])
                        .nul("hr").int2(0xff).nul("mysql_native_password").packet(0))
                .server(1100, ok(1, 0, 2))
                .client(2000, query("SELECT 1"))
                .server(2100, ok(1, 0, 2))
                .run();
        assertThat(r.records()).extracting(TransactionRecord::kind)
                .containsExactly(RecordKind.LOGIN, RecordKind.LOGIN, RecordKind.STATEMENT);
        assertThat(r.records().get(2).session().user()).isEqualTo("dave");
        assertThat(r.records().get(2).session().database()).isEqualTo("hr");
    }

    @Test
    void simpleCommandsEachGetARecord() {
        MySqlScript.Result r = session(MySqlFixtures.MODERN)
                .client(1000, payload().int1(MySqlWire.COM_PING).packet(0)).server(1100, ok(1, 0, 2))
                .client(2000, payload().int1(MySqlWire.COM_STATISTICS).packet(0))
                .server(2100, payload().str("Uptime: 5  Threads: 1").packet(1))
                .client(3000, payload().int1(MySqlWire.COM_SET_OPTION).int2(0).packet(0)).server(3100, eof(1, 2))
                .client(4000, payload().int1(MySqlWire.COM_RESET_CONNECTION).packet(0)).server(4100, ok(1, 0, 2))
                .client(5000, payload().int1(MySqlWire.COM_QUIT).packet(0))
                .run();
        assertThat(statements(r)).extracting(x -> x.statement().operation())
                .containsExactly("PING", "STATISTICS", "SET_OPTION", "RESET_CONNECTION", "QUIT");
        assertThat(statements(r)).allSatisfy(x -> assertThat(x.status()).isEqualTo(RecordStatus.OK));
    }

    @Test
    void sixteenMebibytePacketsAreJoinedAndCountedOnce() {
        byte[] sql = ("SELECT '" + "x".repeat(MySqlWire.MAX_PAYLOAD + 100) + "'").getBytes();
        byte[] payload = MySqlBytes.cat(new byte[] {MySqlWire.COM_QUERY}, sql);
        byte[] first = java.util.Arrays.copyOfRange(payload, 0, MySqlWire.MAX_PAYLOAD);
        byte[] rest = java.util.Arrays.copyOfRange(payload, MySqlWire.MAX_PAYLOAD, payload.length);
        MySqlScript.Result r = session(MySqlFixtures.MODERN)
                .client(1000, MySqlBytes.packet(0, first), MySqlBytes.packet(1, rest))
                .server(1100, ok(2, 0, 2))
                .run(64 * 1024);
        assertThat(statements(r)).singleElement().satisfies(s -> {
            assertThat(s.request().bytes()).isEqualTo(payload.length + 8);
            assertThat(s.status()).isEqualTo(RecordStatus.OK);
            assertThat(s.statement().operation()).isEqualTo("SELECT");
        });
        assertThat(r.count(MySqlEvent.CONTINUATION_PACKETS)).isEqualTo(1);
        assertThat(r.count(MySqlEvent.SEQUENCE_VIOLATION)).isZero();
    }

    @Test
    void compressedSessionIsInflatedAndParsed() {
        long caps = MySqlFixtures.MODERN | MySqlWire.CLIENT_COMPRESS;
        byte[] answer = MySqlBytes.cat(payload().lenenc(1).packet(1), column(2, "n"), textRow(3, "42"), okEof(4, 2));
        MySqlScript.Result r = session(caps)
                .client(1000, MySqlBytes.compressed(0, query("SELECT 42 AS n")))
                .server(1100, MySqlBytes.compressed(0, answer))
                .client(2000, MySqlBytes.payload().int3(5).int1(1).int3(0)        // uncompressed: length 0
                        .bytes(payload().int1(MySqlWire.COM_QUIT).packet(0)).build())
                .run(3);
        assertThat(statements(r)).extracting(x -> x.statement().operation()).containsExactly("SELECT", "QUIT");
        assertThat(statements(r).get(0).response().rows()).isEqualTo(1);
        assertThat(r.count(MySqlEvent.COMPRESSED_SESSIONS)).isEqualTo(1);
        assertThat(r.count(MySqlEvent.COMPRESSED_PACKETS)).isEqualTo(3);
        assertThat(r.count(MySqlEvent.DECOMPRESSION_FAILURE)).isZero();
    }

    @Test
    void pipelinedPrepareAndExecuteOfTheLastPreparedStatement() {
        // MariaDB Connector/J sends PREPARE and EXECUTE(id 0xFFFFFFFF) back to back, before PREPARE_OK.
        MySqlScript.Result r = session(MySqlFixtures.MODERN)
                .client(1000, payload().int1(MySqlWire.COM_STMT_PREPARE).str("DELETE FROM t WHERE id = ?").packet(0),
                        payload().int1(MySqlWire.COM_STMT_EXECUTE).int4(0xFFFFFFFFL).int1(0).int4(1).int1(0).int1(1)
                                .int2(3).int4(9).packet(0))
                .server(1100, payload().int1(0).int4(12).int2(0).int2(1).int1(0).int2(0).packet(1), column(2, "?"),
                        ok(1, 1, 2))
                .run();
        List<TransactionRecord> s = statements(r);
        assertThat(s).extracting(x -> x.statement().operation()).containsExactly("PREPARE", "DELETE");
        assertThat(s.get(1).response().rowsAffected()).isEqualTo(1);
        assertThat(r.count(MySqlEvent.UNKNOWN_PREPARED_STATEMENT)).isZero();
        assertThat(r.count(MySqlEvent.SEQUENCE_VIOLATION)).isZero();
    }

    @Test
    void cursorExecuteThenFetchCountsTheFetchedRows() {
        long caps = MySqlFixtures.MODERN & ~MySqlWire.CLIENT_DEPRECATE_EOF;
        MySqlScript.Result r = session(caps)
                .client(1000, payload().int1(MySqlWire.COM_STMT_PREPARE).str("SELECT a FROM t").packet(0))
                .server(1100, payload().int1(0).int4(3).int2(1).int2(0).int1(0).int2(0).packet(1), column(2, "a"),
                        eof(3, 2))
                .client(2000, payload().int1(MySqlWire.COM_STMT_EXECUTE).int4(3).int1(1).int4(1).packet(0)) // cursor
                .server(2100, payload().lenenc(1).packet(1), column(2, "a"),
                        eof(3, 2 | MySqlWire.SERVER_STATUS_CURSOR_EXISTS))
                .client(3000, payload().int1(MySqlWire.COM_STMT_FETCH).int4(3).int4(2).packet(0))       // 2 rows
                .server(3100, payload().int1(0).int1(0).lenencStr("x").packet(1),
                        payload().int1(0).int1(0).lenencStr("y").packet(2), eof(3, 2 | 0x80))          // LAST_ROW_SENT
                .run();
        List<TransactionRecord> s = statements(r);
        assertThat(s).extracting(x -> x.statement().operation()).containsExactly("PREPARE", "SELECT", "FETCH");
        assertThat(s.get(1).response().rows()).isZero();
        assertThat(s.get(2).response().rows()).isEqualTo(2);
        assertThat(s.get(2).statement().text()).isEqualTo("SELECT a FROM t");
    }

    @Test
    void fieldListEndsAtItsEof() {
        long caps = MySqlFixtures.MODERN & ~MySqlWire.CLIENT_DEPRECATE_EOF;
        MySqlScript.Result r = session(caps)
                .client(1000, payload().int1(MySqlWire.COM_FIELD_LIST).nul("t").packet(0))
                .server(1100, column(1, "id"), column(2, "name"), eof(3, 2))
                .client(2000, query("SELECT 1"))
                .server(2100, ok(1, 0, 2))
                .run();
        assertThat(statements(r)).extracting(x -> x.statement().operation()).containsExactly("FIELD_LIST", "SELECT");
        assertThat(r.count(MySqlEvent.UNMATCHED_RESPONSE)).isZero();
    }
}
