package io.dbwire.core.protocol.postgres;

import static io.dbwire.core.protocol.postgres.PgWireBuilder.authOk;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.bind;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.bindComplete;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.cat;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.commandComplete;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.describe;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.execute;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.noData;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.parse;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.parseComplete;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.readyForQuery;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.startup;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.sync;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.tcp.Direction;
import io.dbwire.core.util.ReasonCounters;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * An execution of a prepared statement (Bind, Describe, Execute, Sync and their answers) allocates its record and
 * nothing of the parser's own: in-flight entries and the group's run are reused, Bind/Execute/Describe are read
 * through flyweights, names and tags come from the reader's table. Measured with the JVM's per-thread allocation
 * counter; the bound leaves room for the record (a TransactionRecord and a ResponseInfo, about 130 bytes) but not
 * for the three entries, the run, the decoded messages and the portal catalog entry a statement used to cost
 * (128 bytes per execution here, 504 before they were reused).
 */
class PgPreparedStatementAllocationTest {
    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 10_000;

    @Test
    void aPreparedStatementsExecutionAllocatesLittleMoreThanItsRecord() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported());

        long[] records = new long[1];
        PgSession s = new PgSession(SessionScript.connection().connectionInfo(), ProtocolConfig.defaults(),
                new FakeNormalizer(), r -> records[0]++, new ReasonCounters<>(PgEvent.class));
        long ts = SessionScript.T0;
        feed(s, Direction.CLIENT_TO_SERVER, startup("user", "app", "database", "shop"), ts++);
        feed(s, Direction.SERVER_TO_CLIENT, cat(authOk(), readyForQuery('I')), ts++);
        feed(s, Direction.CLIENT_TO_SERVER, cat(parse("S_1", "UPDATE t SET a = $1 WHERE id = $2"), sync()), ts++);
        feed(s, Direction.SERVER_TO_CLIENT, cat(parseComplete(), readyForQuery('I')), ts++);
        byte[] request = cat(bind("", "S_1"), describe('P', ""), execute("", 0), sync());
        byte[] answer = cat(bindComplete(), noData(), commandComplete("UPDATE 1"), readyForQuery('I'));

        for (int i = 0; i < WARM_UP; i++) {
            feed(s, Direction.CLIENT_TO_SERVER, request, ts++);
            feed(s, Direction.SERVER_TO_CLIENT, answer, ts++);
        }
        long tid = Thread.currentThread().getId();
        long recordsBefore = records[0];
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < MEASURED; i++) {
            feed(s, Direction.CLIENT_TO_SERVER, request, ts++);
            feed(s, Direction.SERVER_TO_CLIENT, answer, ts++);
        }
        long perStatement = (threads.getThreadAllocatedBytes(tid) - before) / MEASURED;

        assertThat(records[0] - recordsBefore).isEqualTo(MEASURED);
        assertThat(perStatement).as("bytes allocated per execution").isLessThan(200);
    }

    private static void feed(PgSession s, Direction d, byte[] bytes, long ts) {
        s.onData(d, bytes, 0, bytes.length, ts);
    }
}
