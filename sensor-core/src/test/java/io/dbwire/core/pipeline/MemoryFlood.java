package io.dbwire.core.pipeline;

import io.dbwire.core.config.MemoryConfig;
import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.config.TcpConfig;
import io.dbwire.core.detect.alert.AlertJson;
import io.dbwire.core.memory.MemoryConsumer;
import io.dbwire.core.memory.MemoryReport;
import io.dbwire.core.record.RecordJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.IntConsumer;

/**
 * One flood through a whole {@link Sensor} (detection included) whose memory budget is half the JVM's heap and
 * whose flow bound is set far above it (1 M), so only the budget can keep the heap in check. Records and alerts
 * go to a file as JSON lines. Four times during the flood, and after it (before the end of input closes the
 * connections), the heap retained after GC is measured; the figures are printed as {@code key=value} lines for
 * {@link MemoryFloodTest}. Any exception escapes and ends the process non-zero.
 *
 * <p>{@code java -Xmx256m -cp <test classpath> io.dbwire.core.pipeline.MemoryFlood SCENARIO COUNT OUT.jsonl}
 */
public final class MemoryFlood {
    static final double BUDGET_FRACTION = 0.5;
    static final int MAX_FLOWS = 1 << 20;
    private static final int CHECKPOINTS = 4;

    private MemoryFlood() {}

    public static void main(String[] args) throws IOException {
        String scenario = args[0];
        int count = Integer.parseInt(args[1]);
        Path out = Path.of(args[2]);
        long budget = (long) (Runtime.getRuntime().maxMemory() * BUDGET_FRACTION);
        SensorConfig d = SensorConfig.defaults();
        TcpConfig t = d.tcp();
        SensorConfig config = new SensorConfig(d.decap(), new TcpConfig(MAX_FLOWS, t.maxBufferedBytesPerFlow(),
                t.maxBufferedBytesTotal(), t.idleTimeoutMicros()), d.protocols(), d.detection(),
                new MemoryConfig(budget));
        long started = System.nanoTime();
        long baseline = usedHeapAfterGc();
        long peak = 0;
        long lines;
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            LineCounter sink = new LineCounter(w);
            Sensor sensor = new Sensor(config, r -> sink.line(RecordJson.toJson(r)), a -> sink.line(AlertJson.toJson(a)));
            IntConsumer one = scenario(scenario, new FloodTraffic(sensor));
            int step = Math.max(1, count / CHECKPOINTS);
            for (int i = 0; i < count; i++) {
                one.accept(i);
                if ((i + 1) % step == 0 || i == count - 1) {
                    peak = Math.max(peak, usedHeapAfterGc() - baseline);
                }
            }
            SensorStats before = sensor.stats();
            sensor.finish();
            SensorStats stats = sensor.stats();
            lines = sink.lines;
            MemoryReport m = before.memory();
            System.out.println("scenario=" + scenario);
            System.out.println("tried=" + count);
            System.out.println("budget_bytes=" + budget);
            System.out.println("heap_peak_bytes=" + peak);
            System.out.println("charged_at_end_bytes=" + m.usedBytes());
            System.out.println("charged_peak_bytes=" + m.highWaterBytes());
            System.out.println("charged_peak_by_consumer=" + labelled(m.highWater()));
            System.out.println("flows=" + stats.flows());
            System.out.println("lines=" + lines);
            System.out.println("problems=" + stats.problems());
            System.out.println("in_use_after_finish=" + labelled(stats.memory().inUse()));
            System.out.println("elapsed_ms=" + (System.nanoTime() - started) / 1_000_000);
            System.out.println("gc_ms=" + gcNanos / 1_000_000);
        }
    }

    static IntConsumer scenario(String name, FloodTraffic f) {
        switch (name) {
            case "flows":
                return f::established;
            case "half_open":
                return f::halfOpen;
            case "postgres_header_only":
                return f::postgresHeaderOnly;
            case "mysql_header_only":
                return f::mysqlHeaderOnly;
            case "fragments":
                return f::incompleteFragment;
            case "tls_sessions":
                return f::tlsPartial;
            case "prepared_statements":
                return i -> f.preparedStatements(i, 300, 600);
            default:
                throw new IllegalArgumentException("scenario: " + name);
        }
    }

    private static long gcNanos;

    private static long usedHeapAfterGc() {
        long start = System.nanoTime();
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        gcNanos += System.nanoTime() - start;
        return used;
    }

    /** {@code {flows=1, reassembly=0, …}}: the consumers by their metric labels. */
    private static String labelled(Map<MemoryConsumer, Long> byConsumer) {
        StringJoiner j = new StringJoiner(", ", "{", "}");
        byConsumer.forEach((c, v) -> j.add(c.label() + "=" + v));
        return j.toString();
    }

    /** Writes a line per record or alert and counts them. */
    private static final class LineCounter {
        private final BufferedWriter w;
        long lines;

        LineCounter(BufferedWriter w) {
            this.w = w;
        }

        void line(String json) {
            try {
                w.write(json);
                w.write('\n');
                lines++;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
