package io.dbwire.core.protocol.mysql;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.config.StatementMode;
import io.dbwire.core.protocol.sql.SqlNormalizer;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.tcp.CloseReason;
import io.dbwire.core.tcp.ConnectionInfo;
import io.dbwire.core.tcp.Direction;
import io.dbwire.core.util.ReasonCounters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A MySQL connection as a list of deliveries (direction, bytes, packet time), replayed into a fresh
 * {@link MySqlSession} whole, cut into chunks, or split at one position of every delivery. Times in microseconds.
 */
final class MySqlScript {
    static final long T0 = 1_764_165_600_000_000L; // 2025-11-26T14:00:00Z
    static final ProtocolConfig FULL_TEXT = new ProtocolConfig(java.util.Set.of(), java.util.Set.of(3306),
            StatementMode.FULL, 16_384, 64 << 20);

    record Step(Direction direction, byte[] bytes, long ts, long gap) {}

    record Result(List<TransactionRecord> records, ReasonCounters<MySqlEvent> counters) {
        long count(MySqlEvent e) {
            return counters.get(e);
        }
    }

    private final List<Step> steps = new ArrayList<>();
    private boolean midStream;
    private boolean closeAtEnd = true;

    static MySqlScript connection() {
        return new MySqlScript();
    }

    MySqlScript midStream() {
        midStream = true;
        return this;
    }

    MySqlScript noClose() {
        closeAtEnd = false;
        return this;
    }

    MySqlScript client(long micros, byte[]... packets) {
        steps.add(new Step(Direction.CLIENT_TO_SERVER, MySqlBytes.cat(packets), T0 + micros, 0));
        return this;
    }

    MySqlScript server(long micros, byte[]... packets) {
        steps.add(new Step(Direction.SERVER_TO_CLIENT, MySqlBytes.cat(packets), T0 + micros, 0));
        return this;
    }

    MySqlScript gap(Direction d, long micros, long missing) {
        steps.add(new Step(d, null, T0 + micros, missing));
        return this;
    }

    MySqlScript add(Step step) {
        steps.add(step);
        return this;
    }

    List<Step> steps() {
        return steps;
    }

    boolean isMidStream() {
        return midStream;
    }

    Result run() {
        return run(Integer.MAX_VALUE, FULL_TEXT);
    }

    Result run(int chunk) {
        return run(chunk, FULL_TEXT);
    }

    Result run(int chunk, ProtocolConfig config) {
        ReasonCounters<MySqlEvent> counters = new ReasonCounters<>(MySqlEvent.class);
        List<TransactionRecord> records = new ArrayList<>();
        MySqlSession s = new MySqlSession(new ConnectionInfo(7, 42, "10.0.0.5", 51234, "10.0.0.9", 3306, midStream, T0),
                config, SqlNormalizer.mysql(), records::add, counters);
        long last = T0;
        for (Step step : steps) {
            last = step.ts();
            if (step.bytes() == null) {
                s.onGap(step.direction(), step.gap(), step.ts());
                continue;
            }
            byte[] b = step.bytes();
            for (int off = 0; off < b.length; off += chunk) {
                // A scratch buffer at an offset, wiped after the call: catches a session that keeps the array.
                int n = Math.min(chunk, b.length - off);
                byte[] scratch = new byte[n + 3];
                System.arraycopy(b, off, scratch, 3, n);
                s.onData(step.direction(), scratch, 3, n, step.ts());
                Arrays.fill(scratch, (byte) 0x5a);
            }
        }
        if (closeAtEnd) {
            s.onClose(CloseReason.FIN, last + 1);
        }
        return new Result(records, counters);
    }

    /** Every delivery cut in two at {@code at} (clamped to its length). */
    Result runSplitAt(int at) {
        MySqlScript split = new MySqlScript();
        split.midStream = midStream;
        split.closeAtEnd = closeAtEnd;
        for (Step step : steps) {
            if (step.bytes() == null || step.bytes().length < 2) {
                split.add(step);
                continue;
            }
            int cut = Math.max(1, Math.min(at, step.bytes().length - 1));
            split.add(new Step(step.direction(), Arrays.copyOfRange(step.bytes(), 0, cut), step.ts(), 0));
            split.add(new Step(step.direction(), Arrays.copyOfRange(step.bytes(), cut, step.bytes().length),
                    step.ts(), 0));
        }
        return split.run();
    }
}
