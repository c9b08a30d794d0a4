package io.dbwire.bench;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.pipeline.Sensor;
import io.dbwire.core.record.RecordLine;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.daemon.sink.JsonLineWriter;
import io.dbwire.daemon.sink.RecordLineSink;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

/**
 * Record JSON encoding alone, on the records a real capture gives (run through the engine once at setup, records
 * kept in capture order): one operation is one record, so the score is records per second and {@code -prof gc}'s
 * {@code gc.alloc.rate.norm} is bytes allocated per record. {@code encode} is {@link RecordLine} alone,
 * {@code sink} is what {@code replay} does per record ({@link RecordLineSink} into a {@link JsonLineWriter}, here
 * over a stream that drops the bytes). The CPU time per record is printed after each iteration. Run from the
 * repository root:
 * {@code java -jar sensor-bench/target/benchmarks.jar RecordLineBenchmark -prof gc
 * -p capture=/tmp/dbwire-bench/bench-600k.pcap}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RecordLineBenchmark {
    @Param({"testdata/pg-basic-vxlan.pcap"})
    public String capture;

    /** Frames read from the capture; its records are what the benchmark encodes. */
    @Param({"200000"})
    public int frames;

    private TransactionRecord[] records;
    private int next;
    private RecordLine line;
    private RecordLineSink sink;
    private final CpuPerOperation cpu = new CpuPerOperation();

    @Setup(Level.Trial)
    public void load() {
        CapturedFrames input = CapturedFrames.load(Path.of(capture), frames);
        List<TransactionRecord> kept = new ArrayList<>();
        Sensor sensor = new Sensor(SensorConfig.defaults(), kept::add, a -> { });
        for (int i = 0; i < input.size(); i++) {
            sensor.onFrame(input.frames[i], 0, input.frames[i].length, input.linkTypes[i], input.timestamps[i]);
        }
        sensor.finish();
        records = kept.toArray(new TransactionRecord[0]);
        line = new RecordLine();
        sink = new RecordLineSink(new JsonLineWriter(OutputStream.nullOutputStream(), false));
        System.out.printf("%n%s: %d frames, %d records%n", capture, input.size(), records.length);
    }

    @Setup(Level.Iteration)
    public void startCpu() {
        cpu.start();
    }

    @TearDown(Level.Iteration)
    public void printCpu() {
        cpu.print("record", 1);
    }

    @Benchmark
    public int encode() {
        line.encode(nextRecord());
        return line.length();
    }

    @Benchmark
    public void sink() {
        sink.accept(nextRecord());
    }

    private TransactionRecord nextRecord() {
        cpu.count();
        TransactionRecord r = records[next];
        next = next + 1 == records.length ? 0 : next + 1;
        return r;
    }
}
