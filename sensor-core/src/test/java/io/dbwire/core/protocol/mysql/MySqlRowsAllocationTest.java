package io.dbwire.core.protocol.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.protocol.sql.SqlNormalizer;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.tcp.ConnectionInfo;
import io.dbwire.core.tcp.Direction;
import io.dbwire.core.util.ReasonCounters;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Result rows are counted, never materialised: streaming the rows of a result set through a session allocates
 * nothing per row. Measured with the JVM's per-thread allocation counter.
 */
class MySqlRowsAllocationTest {
    @Test
    void rowsOfAResultSetAllocateNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported());

        List<TransactionRecord> records = new ArrayList<>();
        MySqlSession s = new MySqlSession(new ConnectionInfo(1, -1, "10.0.0.5", 50000, "10.0.0.9", 3306, false, 0),
                MySqlScript.FULL_TEXT, SqlNormalizer.mysql(), records::add, new ReasonCounters<>(MySqlEvent.class));
        MySqlFixtures.login(MySqlScript.connection(), MySqlFixtures.MODERN).steps().forEach(step ->
                s.onData(step.direction(), step.bytes(), 0, step.bytes().length, step.ts()));
        byte[] query = MySqlBytes.query("SELECT id, name FROM t");
        s.onData(Direction.CLIENT_TO_SERVER, query, 0, query.length, 1_000);
        byte[] head = MySqlBytes.cat(MySqlBytes.payload().lenenc(2).packet(1), MySqlBytes.column(2, "id"),
                MySqlBytes.column(3, "name"));
        s.onData(Direction.SERVER_TO_CLIENT, head, 0, head.length, 1_100);
        byte[] rows = new byte[0];
        for (int i = 0; i < 64; i++) {
            rows = MySqlBytes.cat(rows, MySqlBytes.textRow((4 + i) & 0xff, Integer.toString(i), "name " + i));
        }
        for (int i = 0; i < 2_000; i++) { // warm-up
            s.onData(Direction.SERVER_TO_CLIENT, rows, 0, rows.length, 1_200);
        }
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 2_000; i++) {
            s.onData(Direction.SERVER_TO_CLIENT, rows, 0, rows.length, 1_300);
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        // 128,000 rows: even one 16-byte object each would be 2 MB. Allow a little for the JVM itself.
        assertThat(allocated).isLessThan(16_384);
    }
}
