package io.dbwire.core.protocol.postgres;

import static io.dbwire.core.protocol.postgres.PgWireBuilder.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.tcp.CloseReason;
import io.dbwire.core.tcp.Direction;
import io.dbwire.core.util.InternalErrors;
import io.dbwire.core.util.ReasonCounters;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A bug below the frame boundary (here: a sink that throws) is logged with the connection, then handled. */
class PgSessionInternalErrorTest {
    @AfterEach
    void silence() {
        InternalErrors.setListener(null);
    }

    @Test
    void repeatedBugsResynchroniseThenCloseTheConnectionAndReachTheListener() {
        List<String> logged = new ArrayList<>();
        InternalErrors.setListener((layer, connection, error, n, remedy) -> logged.add(
                layer + " | " + connection + " | " + error.getMessage() + " | " + error.getStackTrace().length
                        + " | " + remedy));
        ReasonCounters<PgEvent> counters = new ReasonCounters<>(PgEvent.class);
        List<TransactionRecord> kept = new ArrayList<>();
        SessionScript script = SessionScript.connection();
        PgSession session = new PgSession(script.connectionInfo(), ProtocolConfig.defaults(), new FakeNormalizer(),
                record -> {
                    if (record.kind() == RecordKind.STATEMENT && record.status() == RecordStatus.OK) {
                        throw new IllegalStateException("sink bug");
                    }
                    kept.add(record);
                }, counters);

        long t = SessionScript.T0;
        feed(session, Direction.CLIENT_TO_SERVER, t, startup("user", "alice", "database", "shop"));
        feed(session, Direction.SERVER_TO_CLIENT, t + 10, cat(authOk(), readyForQuery('I')));
        for (int i = 1; i <= 5; i++) {
            feed(session, Direction.CLIENT_TO_SERVER, t + 100 * i, query("SELECT " + i));
            feed(session, Direction.SERVER_TO_CLIENT, t + 100 * i + 50,
                    cat(rowDescription("x"), dataRow("1"), commandComplete("SELECT 1"), readyForQuery('I')));
        }
        session.onClose(CloseReason.FIN, t + 1_000);

        assertThat(counters.get(PgEvent.INTERNAL_ERROR_RESYNCED)).isEqualTo(3);
        assertThat(counters.get(PgEvent.INTERNAL_ERROR_CLOSED)).isEqualTo(1);
        assertThat(kept).extracting(TransactionRecord::kind).containsExactly(RecordKind.LOGIN);
        assertThat(logged).hasSize(4);
        assertThat(logged.get(0)).startsWith("postgres | ConnectionInfo[id=7,").contains("| sink bug |")
                .endsWith("RESYNCHRONISED");
        assertThat(logged.get(3)).endsWith("CLOSED");
        assertThat(logged).noneMatch(l -> l.contains("| 0 |")); // the stack trace travels with the report
    }

    private static void feed(PgSession s, Direction d, long ts, byte[] bytes) {
        s.onData(d, bytes, 0, bytes.length, ts);
    }
}
