package io.dbwire.core.protocol.mysql;

import static io.dbwire.core.protocol.mysql.MySqlBytes.cat;
import static io.dbwire.core.protocol.mysql.MySqlBytes.column;
import static io.dbwire.core.protocol.mysql.MySqlBytes.ok;
import static io.dbwire.core.protocol.mysql.MySqlBytes.okEof;
import static io.dbwire.core.protocol.mysql.MySqlBytes.payload;
import static io.dbwire.core.protocol.mysql.MySqlBytes.textRow;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.pipeline.Sensor;
import io.dbwire.core.pipeline.TcpConversation;
import io.dbwire.core.tcp.Direction;
import org.junit.jupiter.api.Test;

/**
 * What a whole MySQL statement costs the engine, as {@code PgStatementAllocationTest} measures it: an execution of
 * a prepared statement whose id is above the JDK's cached boxes (300) allocates its record only (it also boxed the
 * id for the catalog look-up before: 152 bytes); a single-statement COM_QUERY whose text recurs is not lexed
 * and fingerprinted again and reuses the connection's spare exchange and run (1 586 bytes before, 264 now: the
 * record, the Query message and its text).
 */
class MySqlStatementAllocationTest {
    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 4_000;

    private long records;
    private final Sensor sensor = new Sensor(SensorConfig.defaults(), r -> records++, alert -> { });
    private final TcpConversation c = new TcpConversation("10.0.0.5", 50_000, "10.0.0.9", 3306,
            1_764_165_600_000_000L);

    MySqlStatementAllocationTest() {
        for (MySqlScript.Step step : MySqlFixtures.login(MySqlScript.connection(), MySqlFixtures.MODERN).steps()) {
            c.send(step.direction() == Direction.CLIENT_TO_SERVER, step.bytes());
        }
        c.send(true, payload().int1(MySqlWire.COM_STMT_PREPARE).str("UPDATE t SET a = ? WHERE id = 5").packet(0));
        c.send(false, cat(payload().int1(0).int4(300).int2(0).int2(1).int1(0).int2(0).packet(1), column(2, "?")));
    }

    @Test
    void aPreparedExecutionAllocatesItsRecordOnly() {
        byte[] execute = payload().int1(MySqlWire.COM_STMT_EXECUTE).int4(300).int1(0).int4(1)
                .int1(0).int1(1).int2(3).int4(7).packet(0);
        assertThat(bytesPerStatement(execute, ok(1, 1, 2))).isLessThanOrEqualTo(136);
    }

    @Test
    void aRecurringQueryIsNotNormalisedAgain() {
        byte[] answer = cat(payload().lenenc(2).packet(1), column(2, "id"), column(3, "name"),
                textRow(4, "42", "x"), okEof(5, 2));
        assertThat(bytesPerStatement(MySqlBytes.query("SELECT id, name FROM big WHERE id = 42"), answer))
                .isLessThan(300);
    }

    private long bytesPerStatement(byte[] request, byte[] answer) {
        long perStatement = c.allocatedPerExchange(sensor, request, answer, WARM_UP, MEASURED);
        assertThat(records).isEqualTo(WARM_UP + MEASURED + 2L); // and the login and the PREPARE
        return perStatement;
    }
}
