package io.dbwire.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.pipeline.Sensor;
import io.dbwire.daemon.console.traffic.ConsoleFeed;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the web console costs the pipeline thread: the engine over the bundled VXLAN capture (as in
 * {@link PipelineBenchmark}) with records and alerts going to a blackhole ({@code off}), also to the console's
 * feed ({@code fed}), and to the feed while another thread takes and serialises a snapshot every 100 ms, twenty
 * times as often as the UI polls ({@code polled}). The score is passes per second; the teardown prints how many
 * items the feed dropped and how many snapshots were taken. Run:
 * {@code java -jar sensor-bench/target/benchmarks.jar ConsoleFeedBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConsoleFeedBenchmark {
    private static final String CAPTURE = "testdata/pg-basic-vxlan.pcap";

    @Param({"off", "fed", "polled"})
    public String console;

    private CapturedFrames frames;
    private long[] timestamps;
    private long passMicros;
    private long offsetMicros;
    private Sensor sensor;
    private ConsoleFeed feed;
    private Thread poller;
    private final AtomicLong snapshots = new AtomicLong();
    private final AtomicLong snapshotBytes = new AtomicLong();
    /** CPU time of the benchmark thread over all measured passes: robust to other load on a shared machine. */
    private long iterationCpuStart;
    private long iterationPassesStart;
    private long passes;
    private long cpuNanos;
    private long measuredPasses;

    @Setup(Level.Trial)
    public void load() {
        frames = CapturedFrames.load(Path.of(CAPTURE), Integer.MAX_VALUE);
        timestamps = frames.timestamps;
        passMicros = timestamps[timestamps.length - 1] - timestamps[0] + 1_000_000L;
        feed = new ConsoleFeed(65_536);
        if ("polled".equals(console)) {
            poller = new Thread(this::poll, "console-poller");
            poller.setDaemon(true);
            poller.start();
        }
    }

    private void poll() {
        ObjectMapper json = new ObjectMapper();
        try {
            while (!Thread.currentThread().isInterrupted()) {
                byte[] body = json.writeValueAsBytes(feed.snapshot(JsonNodeFactory.instance, timestamps[0] + offsetMicros));
                snapshots.incrementAndGet();
                snapshotBytes.addAndGet(body.length);
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Setup(Level.Iteration)
    public void newSensor(Blackhole bh) {
        if ("off".equals(console)) {
            sensor = new Sensor(SensorConfig.defaults(), bh::consume, bh::consume);
        } else {
            var records = feed.records();
            var alerts = feed.alerts();
            sensor = new Sensor(SensorConfig.defaults(), r -> {
                bh.consume(r);
                records.accept(r);
            }, a -> {
                bh.consume(a);
                alerts.accept(a);
            }, null);
        }
        iterationCpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        iterationPassesStart = passes;
    }

    @TearDown(Level.Iteration)
    public void addCpu() {
        cpuNanos += ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - iterationCpuStart;
        measuredPasses += passes - iterationPassesStart;
    }

    @Benchmark
    public long replayCapture() {
        for (int i = 0; i < timestamps.length; i++) {
            byte[] f = frames.frames[i];
            sensor.onFrame(f, 0, f.length, frames.linkTypes[i], timestamps[i] + offsetMicros);
        }
        offsetMicros += passMicros;
        passes++;
        return offsetMicros;
    }

    @TearDown(Level.Trial)
    public void report() {
        if (poller != null) {
            poller.interrupt();
        }
        feed.close();
        long n = snapshots.get();
        System.out.printf("%nconsole=%s: pipeline thread CPU %.1f µs per pass (%d passes, warm-up included); feed"
                + " dropped %d items; %d snapshots taken, %d bytes each on average%n", console,
                measuredPasses == 0 ? 0.0 : cpuNanos / 1e3 / measuredPasses, measuredPasses, feed.dropped(), n,
                n == 0 ? 0 : snapshotBytes.get() / n);
    }
}
