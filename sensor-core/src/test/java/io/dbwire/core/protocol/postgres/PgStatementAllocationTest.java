package io.dbwire.core.protocol.postgres;

import static io.dbwire.core.protocol.postgres.PgWireBuilder.authOk;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.bind;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.bindComplete;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.cat;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.commandComplete;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.dataRow;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.describe;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.execute;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.noData;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.parse;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.parseComplete;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.query;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.readyForQuery;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.rowDescription;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.startup;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.sync;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.pipeline.Sensor;
import io.dbwire.core.pipeline.TcpConversation;
import org.junit.jupiter.api.Test;

/**
 * What a whole statement costs the engine (decap, TCP, protocol, detection; the record is about 128 bytes: a
 * TransactionRecord and its ResponseInfo), measured over its packets with the JVM's per-thread allocation counter
 * after warm-up. Bounds say what must not come back: a prepared execution allocates its record and nothing else;
 * a simple-protocol query whose text recurs is not lexed and fingerprinted again, nor decoded again, and takes the
 * connection's spare in-flight entry and run (1 560 bytes before the normaliser's cache, 440 before the spares and
 * the recent Query texts, 160 now: the record and the statement's StatementInfo, 32 bytes, made by describe).
 */
class PgStatementAllocationTest {
    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 4_000;

    private long records;
    private final Sensor sensor = new Sensor(SensorConfig.defaults(), r -> records++, alert -> { });
    private final TcpConversation c = new TcpConversation("10.0.0.5", 50_000, "10.0.0.9", 5432,
            1_764_165_600_000_000L);

    PgStatementAllocationTest() {
        c.send(true, startup("user", "app", "database", "shop"));
        c.send(false, cat(authOk(), readyForQuery('I')));
        c.send(true, cat(parse("S_1", "UPDATE t SET a = $1 WHERE id = $2"), sync()));
        c.send(false, cat(parseComplete(), readyForQuery('I')));
    }

    @Test
    void aPreparedExecutionAllocatesItsRecordOnly() {
        byte[] request = cat(bind("", "S_1", "1", "2"), describe('P', ""), execute("", 0), sync());
        byte[] answer = cat(bindComplete(), noData(), commandComplete("UPDATE 1"), readyForQuery('I'));
        assertThat(bytesPerStatement(request, answer)).isLessThanOrEqualTo(136);
    }

    @Test
    void aRecurringSimpleQueryIsNotNormalisedAgain() {
        byte[] request = query("SELECT id, name FROM big WHERE id = 42");
        byte[] answer = cat(rowDescription("id", "name"), dataRow("42", "x"), commandComplete("SELECT 1"),
                readyForQuery('I'));
        assertThat(bytesPerStatement(request, answer)).isLessThanOrEqualTo(168);
    }

    @Test
    void aRecurringBeginAllocatesItsRecordAndStatementInfoOnly() {
        byte[] answer = cat(commandComplete("BEGIN"), readyForQuery('T'));
        assertThat(bytesPerStatement(query("BEGIN"), answer)).isLessThanOrEqualTo(168);
    }

    private long bytesPerStatement(byte[] request, byte[] answer) {
        long perStatement = c.allocatedPerExchange(sensor, request, answer, WARM_UP, MEASURED);
        assertThat(records).isEqualTo(WARM_UP + MEASURED + 1L); // and the login
        return perStatement;
    }
}
