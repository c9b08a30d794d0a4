package io.dbwire.core.protocol.mysql;

import static io.dbwire.core.protocol.mysql.MySqlBytes.column;
import static io.dbwire.core.protocol.mysql.MySqlBytes.eof;
import static io.dbwire.core.protocol.mysql.MySqlBytes.okEof;
import static io.dbwire.core.protocol.mysql.MySqlBytes.payload;
import static io.dbwire.core.protocol.mysql.MySqlBytes.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Result sets without column definitions: MariaDB's MARIADB_CLIENT_CACHE_METADATA (Connector/J 3 with MariaDB
 * 10.6+) puts a "metadata follows" byte after the column count; 0 means the client has the definitions cached
 * from an earlier execution, and the rows follow at once. Also: an empty result under CLIENT_DEPRECATE_EOF, whose
 * terminating OK (header 0xFE, 7 bytes) is shorter than 9 bytes and must not pass for the EOF after the columns.
 */
class MySqlMetadataCacheTest {
    static final long MARIADB = (MySqlFixtures.MODERN & ~1L) | MySqlWire.MARIADB_CLIENT_CACHE_METADATA;
    static final long CLASSIC_EOF = MARIADB & ~MySqlWire.CLIENT_DEPRECATE_EOF;

    static byte[] prepare(String sql) {
        return payload().int1(MySqlWire.COM_STMT_PREPARE).str(sql).packet(0);
    }

    /** COM_STMT_EXECUTE of statement 3 with one int parameter. */
    static byte[] execute(int value) {
        return payload()
                .int1(MySqlWire.COM_STMT_EXECUTE)
                .int4(3)                // statement id
                .int1(0)                // flags: no cursor
                .int4(1)                // iteration count
                .int1(0)                // NULL bitmap (1 parameter)
                .int1(1)                // new-params-bound flag
                .int2(3)                // parameter type MYSQL_TYPE_LONG
                .int4(value)            // value
                .packet(0);
    }

    /** PREPARE_OK of statement 3: 2 columns, 1 parameter, then their 3 definitions. */
    static byte[][] prepareOk(boolean classicEof) {
        byte[] ok = payload()
                .int1(0x00)             // OK
                .int4(3)                // statement id
                .int2(2)                // columns
                .int2(1)                // parameters
                .int1(0)                // reserved
                .int2(0)                // warnings
                .packet(1);
        if (classicEof) {
            return new byte[][] {ok, column(2, "?"), eof(3, 2), column(4, "id"), column(5, "name"), eof(6, 2)};
        }
        return new byte[][] {ok, column(2, "?"), column(3, "id"), column(4, "name")};
    }

    /** Binary row: header 0x00, NULL bitmap (2 columns + offset 2 → 1 byte), int id, lenenc name. */
    static byte[] binaryRow(int seq, int id, String name) {
        return payload().int1(0x00).int1(0).int4(id).lenencStr(name).packet(seq);
    }

    static MySqlScript preparedTwice(long caps) {
        boolean classic = (caps & MySqlWire.CLIENT_DEPRECATE_EOF) == 0;
        MySqlScript s = MySqlFixtures.mariaLogin(MySqlScript.connection(), caps)
                .client(1000, prepare("SELECT id, name FROM t WHERE id <= ?"))
                .server(1100, prepareOk(classic));
        // First execution: count 2, metadata follows (1), both definitions, [EOF], rows, terminator.
        byte[] count = payload().lenenc(2).int1(1).packet(1);
        byte[] end = classic ? eof(7, 2) : okEof(6, 2);
        s.client(2000, execute(2));
        if (classic) {
            s.server(2100, count, column(2, "id"), column(3, "name"), eof(4, 2), binaryRow(5, 1, "a"),
                    binaryRow(6, 2, "b"), end);
        } else {
            s.server(2100, count, column(2, "id"), column(3, "name"), binaryRow(4, 1, "a"), binaryRow(5, 2, "b"),
                    end);
        }
        // Second execution: count 2, metadata follows 0: no definitions; [EOF]; three rows; terminator.
        byte[] cached = payload().lenenc(2).int1(0).packet(1);
        s.client(3000, execute(3));
        if (classic) {
            s.server(3100, cached, eof(2, 2), binaryRow(3, 1, "a"), binaryRow(4, 2, "b"), binaryRow(5, 3, "c"),
                    eof(6, 2));
        } else {
            s.server(3100, cached, binaryRow(2, 1, "a"), binaryRow(3, 2, "b"), binaryRow(4, 3, "c"), okEof(5, 2));
        }
        // A text result after them, metadata byte 1: definitions follow as usual.
        s.client(4000, query("SELECT 1"));
        if (classic) {
            return s.server(4100, payload().lenenc(1).int1(1).packet(1), column(2, "1"), eof(3, 2),
                    MySqlBytes.textRow(4, "1"), eof(5, 2));
        }
        return s.server(4100, payload().lenenc(1).int1(1).packet(1), column(2, "1"), MySqlBytes.textRow(3, "1"),
                okEof(4, 2));
    }

    @Test
    void cachedMetadataExecutionCountsItsRows() {
        for (long caps : new long[] {MARIADB, CLASSIC_EOF}) {
            MySqlScript.Result r = preparedTwice(caps).run();
            assertRows(r, caps);
        }
    }

    @Test
    void everySplitPointGivesTheSameRows() {
        MySqlScript s = preparedTwice(MARIADB);
        for (int at = 1; at < 120; at++) {
            assertRows(s.runSplitAt(at), MARIADB);
        }
        assertRows(s.run(1), MARIADB);
    }

    private static void assertRows(MySqlScript.Result r, long caps) {
        List<TransactionRecord> s = MySqlCommandPhaseTest.statements(r);
        assertThat(s).as("caps %x", caps).extracting(x -> x.statement().operation())
                .containsExactly("PREPARE", "SELECT", "SELECT", "SELECT");
        assertThat(s).extracting(x -> x.response().rows()).containsExactly(null, 2L, 3L, 1L);
        assertThat(s).allSatisfy(x -> assertThat(x.status()).isEqualTo(RecordStatus.OK));
        assertThat(r.count(MySqlEvent.METADATA_SKIPPED)).isEqualTo(1);
        assertThat(r.count(MySqlEvent.SEQUENCE_VIOLATION)).isZero();
        assertThat(r.count(MySqlEvent.PROTOCOL_VIOLATION_SEQUENCE)).isZero();
        assertThat(r.count(MySqlEvent.UNMATCHED_RESPONSE)).isZero();
    }

    /**
     * MySQL 8 with {@code SET resultset_metadata = NONE} under CLIENT_OPTIONAL_RESULTSET_METADATA: PREPARE_OK
     * ends with metadata_follows 0 and no definitions follow it; a result set's column count is followed by 0
     * and its rows come at once.
     */
    @Test
    void mySqlOptionalMetadataNone() {
        long caps = MySqlFixtures.MODERN | MySqlWire.CLIENT_OPTIONAL_RESULTSET_METADATA;
        MySqlScript s = MySqlFixtures.login(MySqlScript.connection(), caps)
                .client(1000, prepare("SELECT id, name FROM t WHERE id <= ?"))
                .server(1100, payload()
                        .int1(0x00)             // OK
                        .int4(3)                // statement id
                        .int2(2)                // columns
                        .int2(1)                // parameters
                        .int1(0)                // reserved
                        .int2(0)                // warnings
                        .int1(0)                // metadata_follows: RESULTSET_METADATA_NONE
                        .packet(1))
                .client(2000, execute(2))
                .server(2100, payload().lenenc(2).int1(0).packet(1), binaryRow(2, 1, "a"), binaryRow(3, 2, "b"),
                        okEof(4, 2))
                .client(3000, query("SELECT 1"))
                .server(3100, payload().lenenc(1).int1(0).packet(1), MySqlBytes.textRow(2, "1"), okEof(3, 2));
        for (int at = 1; at < 40; at++) {
            MySqlScript.Result r = s.runSplitAt(at);
            assertThat(MySqlCommandPhaseTest.statements(r)).extracting(x -> x.response().rows())
                    .containsExactly(null, 2L, 1L);
            assertThat(r.count(MySqlEvent.METADATA_SKIPPED)).isEqualTo(3);
            assertThat(r.count(MySqlEvent.SEQUENCE_VIOLATION)).isZero();
            assertThat(r.count(MySqlEvent.UNMATCHED_RESPONSE)).isZero();
        }
    }

    @Test
    void emptyResultUnderDeprecateEofEndsAtItsOk() {
        MySqlScript.Result r = MySqlCommandPhaseTest.session(MySqlFixtures.MODERN)
                .client(1000, query("SELECT id FROM t WHERE id = 999"))
                .server(1100,
                        payload().lenenc(1).packet(1),  // column count 1
                        column(2, "id"),                // its definition
                        okEof(3, 0x0002))               // 0xFE OK, 7 bytes: no rows
                .client(2000, query("SELECT 2"))
                .server(2100, payload().lenenc(1).packet(1), column(2, "2"), MySqlBytes.textRow(3, "2"),
                        okEof(4, 2))
                .run();
        assertThat(MySqlCommandPhaseTest.statements(r)).extracting(x -> x.response().rows()).containsExactly(0L, 1L);
        assertThat(r.count(MySqlEvent.UNMATCHED_RESPONSE)).isZero();
    }
}
