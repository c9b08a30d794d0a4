package io.dbwire.core.protocol.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.protocol.mysql.Exchange.Expect;
import io.dbwire.core.protocol.session.ReusedFields;
import io.dbwire.core.record.StatementInfo;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A reused exchange (MySqlCommandPhase keeps the last finished one as a spare) must be indistinguishable from a
 * new one: every field of Exchange, MySqlRun and RequestRun — including fields added later — is set to a
 * non-default value, then {@link Exchange#reuse} must bring each back to what the constructor gives.
 */
class MySqlExchangeReuseTest {
    private static final StatementInfo NEXT = new StatementInfo("SELECT ?", "select ?", "SELECT");

    @Test
    void reuseResetsEveryFieldOfTheExchangeAndItsRun() throws Exception {
        List<Field> exchangeFields = ReusedFields.of(Exchange.class, Set.of("runs", "first")); // the final runs
        List<Field> runFields = ReusedFields.of(MySqlRun.class, Set.of());
        Exchange used = new Exchange(MySqlWire.COM_QUERY, List.of(new MySqlRun(new StatementInfo("a", "a", "A"))),
                Expect.AUTH);
        ReusedFields.dirtyAll(exchangeFields, used);
        MySqlRun usedRun = used.runs.get(0);
        ReusedFields.dirtyAll(runFields, usedRun);

        used.reuse(MySqlWire.COM_STMT_EXECUTE, NEXT, Expect.RESULT);

        Exchange fresh = new Exchange(MySqlWire.COM_STMT_EXECUTE, List.of(new MySqlRun(NEXT)), Expect.RESULT);
        assertThat(used.runs.get(0)).isSameAs(usedRun);
        ReusedFields.assertAllAsNew(exchangeFields, used, fresh);
        ReusedFields.assertAllAsNew(runFields, usedRun, fresh.runs.get(0));
    }
}
