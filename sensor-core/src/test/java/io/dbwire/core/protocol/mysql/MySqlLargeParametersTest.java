package io.dbwire.core.protocol.mysql;

import static io.dbwire.core.protocol.mysql.MySqlBytes.column;
import static io.dbwire.core.protocol.mysql.MySqlBytes.ok;
import static io.dbwire.core.protocol.mysql.MySqlBytes.payload;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.record.TransactionRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Parameter values of any size (Connector/J streams a setBinaryStream() parameter as COM_STMT_SEND_LONG_DATA;
 * a bound blob travels inside COM_STMT_EXECUTE): only the command head is kept, the rest is counted, and
 * nothing is reported as truncated — the parser chose not to keep values.
 */
class MySqlLargeParametersTest {
    static final int BIG = 300_000; // above the 256 KiB a client packet is otherwise kept up to

    @Test
    void longDataAndLargeExecuteAreCountedNotTruncated() {
        MySqlScript s = MySqlCommandPhaseTest.session(MySqlFixtures.MODERN)
                .client(1000, payload().int1(MySqlWire.COM_STMT_PREPARE).str("INSERT INTO docs VALUES (?, ?)")
                        .packet(0))
                .server(1100, payload().int1(0).int4(4).int2(0).int2(2).int1(0).int2(0).packet(1), // id 4, 2 params
                        column(2, "?"), column(3, "?"))
                .client(2000, payload()
                        .int1(MySqlWire.COM_STMT_SEND_LONG_DATA)
                        .int4(4)                // statement id
                        .int2(1)                // parameter 1
                        .zeros(BIG)             // the data
                        .packet(0))
                .client(3000, payload()
                        .int1(MySqlWire.COM_STMT_EXECUTE)
                        .int4(4)                // statement id
                        .int1(0)                // flags
                        .int4(1)                // iteration count
                        .int1(0)                // NULL bitmap
                        .int1(1)                // new params bound
                        .int2(3).int2(0xfc)     // types: LONG, BLOB
                        .int4(1)                // parameter 0
                        .lenenc(BIG).zeros(BIG) // parameter 1 inline: a large blob
                        .packet(0))
                .server(3100, ok(1, 1, 2));
        for (int chunk : new int[] {Integer.MAX_VALUE, 4096}) {
            MySqlScript.Result r = s.run(chunk);
            List<TransactionRecord> st = MySqlCommandPhaseTest.statements(r);
            assertThat(st).extracting(x -> x.statement().operation())
                    .containsExactly("PREPARE", "SEND_LONG_DATA", "INSERT");
            assertThat(st.get(1).request().bytes()).isEqualTo(4 + 7 + BIG);
            assertThat(st.get(1).statement().text()).isEqualTo("INSERT INTO docs VALUES (?, ?)");
            assertThat(st.get(2).request().bytes()).isGreaterThan(BIG);
            assertThat(st.get(2).response().rowsAffected()).isEqualTo(1);
            assertThat(r.count(MySqlEvent.MESSAGE_TRUNCATED)).isZero();
            assertThat(r.count(MySqlEvent.UNKNOWN_PREPARED_STATEMENT)).isZero();
        }
    }
}
