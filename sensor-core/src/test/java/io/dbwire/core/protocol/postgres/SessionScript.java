package io.dbwire.core.protocol.postgres;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.config.StatementMode;
import io.dbwire.core.record.RecordJson;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.tcp.CloseReason;
import io.dbwire.core.tcp.ConnectionInfo;
import io.dbwire.core.tcp.Direction;
import io.dbwire.core.util.ReasonCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A connection as a list of deliveries (direction, bytes, packet time), replayed into a fresh {@link PgSession}
 * whole or cut into chunks. Times are in microseconds.
 */
final class SessionScript {
    static final long T0 = 1_764_165_600_000_000L; // 2025-11-26T14:00:00Z

    record Step(Direction direction, byte[] bytes, long ts, long gap) {}

    private final List<Step> steps = new ArrayList<>();
    private boolean closeAtEnd = true;
    private boolean midStream;

    static SessionScript connection() {
        return new SessionScript();
    }

    SessionScript midStream() {
        midStream = true;
        return this;
    }

    SessionScript noClose() {
        closeAtEnd = false;
        return this;
    }

    /** Client bytes at T0 + micros. */
    SessionScript client(long micros, byte[]... messages) {
        steps.add(new Step(Direction.CLIENT_TO_SERVER, PgWireBuilder.cat(messages), T0 + micros, 0));
        return this;
    }

    /** Server bytes at T0 + micros. */
    SessionScript server(long micros, byte[]... messages) {
        steps.add(new Step(Direction.SERVER_TO_CLIENT, PgWireBuilder.cat(messages), T0 + micros, 0));
        return this;
    }

    SessionScript gap(Direction d, long micros, long missing) {
        steps.add(new Step(d, null, T0 + micros, missing));
        return this;
    }

    SessionScript add(Step step) {
        steps.add(step);
        return this;
    }

    List<Step> steps() {
        return steps;
    }

    ConnectionInfo connectionInfo() {
        return new ConnectionInfo(7, 42, "10.0.0.5", 51234, "10.0.0.9", 5432, midStream, T0);
    }

    Result run() {
        return run(Integer.MAX_VALUE, ProtocolConfig.defaults());
    }

    Result run(int chunk) {
        return run(chunk, ProtocolConfig.defaults());
    }

    Result run(int chunk, ProtocolConfig config) {
        return run(chunk, config, new FakeNormalizer());
    }

    Result run(int chunk, ProtocolConfig config, io.dbwire.core.protocol.sql.StatementNormalizer normalizer) {
        ReasonCounters<PgEvent> counters = new ReasonCounters<>(PgEvent.class);
        List<TransactionRecord> records = new ArrayList<>();
        PgSession s = new PgSession(connectionInfo(), config, normalizer, records::add, counters);
        long last = T0;
        for (Step step : steps) {
            last = step.ts();
            if (step.bytes() == null) {
                s.onGap(step.direction(), step.gap(), step.ts());
                continue;
            }
            byte[] b = step.bytes();
            for (int off = 0; off < b.length; off += chunk) {
                // Copy into a scratch buffer the session may not keep, at an offset, to catch aliasing.
                int n = Math.min(chunk, b.length - off);
                byte[] scratch = new byte[n + 3];
                System.arraycopy(b, off, scratch, 3, n);
                s.onData(step.direction(), scratch, 3, n, step.ts());
                java.util.Arrays.fill(scratch, (byte) 0x5a);
            }
        }
        if (closeAtEnd) {
            s.onClose(CloseReason.FIN, last + 1);
        }
        return new Result(records, counters, s);
    }

    /** Runs with a split of every step into two deliveries at position {@code at} (clamped). */
    Result runSplitAt(int at) {
        SessionScript split = new SessionScript();
        split.midStream = midStream;
        split.closeAtEnd = closeAtEnd;
        for (Step step : steps) {
            if (step.bytes() == null || step.bytes().length < 2) {
                split.steps.add(step);
                continue;
            }
            int cut = Math.max(1, Math.min(at, step.bytes().length - 1));
            byte[] b = step.bytes();
            split.steps.add(new Step(step.direction(), java.util.Arrays.copyOfRange(b, 0, cut), step.ts(), 0));
            split.steps.add(new Step(step.direction(), java.util.Arrays.copyOfRange(b, cut, b.length), step.ts(), 0));
        }
        return split.run();
    }

    static ProtocolConfig config(StatementMode mode, int maxStatementBytes, int maxMessageBytes) {
        return new ProtocolConfig(Set.of(5432), Set.of(3306), mode, maxStatementBytes, maxMessageBytes);
    }

    record Result(List<TransactionRecord> records, ReasonCounters<PgEvent> counters, PgSession session) {
        List<String> json() {
            return records.stream().map(RecordJson::toJson).toList();
        }

        long count(PgEvent e) {
            return counters.get(e);
        }
    }
}
