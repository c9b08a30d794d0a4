package io.dbwire.bench;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.pipeline.Sensor;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The whole engine (decap, TCP, PostgreSQL, SQL normalisation, detection) over a real capture held in memory,
 * fed again and again into one long-lived Sensor with packet time moved on each pass (so connections open, run
 * and close as on a busy server). The score is passes per second; multiply by the frame count printed at setup
 * for frames per second. Run: {@code java -jar sensor-bench/target/benchmarks.jar PipelineBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PipelineBenchmark {
    @Param({"testdata/pg-basic-vxlan.pcap", "testdata/pg-basic.pcap"})
    public String capture;

    private CapturedFrames frames;
    private long[] timestamps;
    private long passMicros;
    private long offsetMicros;
    private Sensor sensor;

    @Setup(Level.Trial)
    public void load() {
        frames = CapturedFrames.load(Path.of(capture), Integer.MAX_VALUE);
        timestamps = frames.timestamps;
        passMicros = timestamps[timestamps.length - 1] - timestamps[0] + 1_000_000L;
        System.out.printf("%n%s: %d frames, %d bytes per operation%n", capture, frames.size(),
                frames.wireBytes);
    }

    @Setup(Level.Iteration)
    public void newSensor(Blackhole bh) {
        sensor = new Sensor(SensorConfig.defaults(), bh::consume, bh::consume);
    }

    @Benchmark
    public long replayCapture() {
        for (int i = 0; i < timestamps.length; i++) {
            byte[] f = frames.frames[i];
            sensor.onFrame(f, 0, f.length, frames.linkTypes[i], timestamps[i] + offsetMicros);
        }
        offsetMicros += passMicros;
        return offsetMicros;
    }
}
