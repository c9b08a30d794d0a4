package io.dbwire.bench;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.config.TcpConfig;
import io.dbwire.core.decap.Decapsulator;
import io.dbwire.core.decap.DecodedPacket;
import io.dbwire.core.tcp.CloseReason;
import io.dbwire.core.tcp.ConnectionInfo;
import io.dbwire.core.tcp.Direction;
import io.dbwire.core.tcp.StreamListener;
import io.dbwire.core.tcp.StreamListenerFactory;
import io.dbwire.core.tcp.TcpTracker;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The packet path below the parsers — decap and TCP (flow look-up, mirror-copy check, reassembly) — over the
 * frames of a real capture, into listeners that only count the bytes they are given. One operation is one pass
 * over the frames with a fresh decapsulator and tracker (so every pass sees the connections as the capture
 * does); the score is passes per second: multiply by the frame count printed at setup for packets per second,
 * and divide {@code -prof gc}'s {@code gc.alloc.rate.norm} by it for bytes per packet (the tracker and its flows
 * are allocated once per pass). The CPU time per packet is printed after each iteration. Run from the
 * repository root:
 * {@code java -jar sensor-bench/target/benchmarks.jar PacketPathBenchmark -prof gc
 * -p capture=/tmp/dbwire-bench/bench-600k.pcap}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PacketPathBenchmark {
    @Param({"testdata/pg-basic-vxlan.pcap"})
    public String capture;

    @Param({"100000"})
    public int frames;

    private CapturedFrames input;
    private final SensorConfig config = SensorConfig.defaults();
    /** A small table: the tracker's slot array is allocated per pass, the capture has a few dozen connections. */
    private final TcpConfig tcpConfig = new TcpConfig(1024, config.tcp().maxBufferedBytesPerFlow(),
            config.tcp().maxBufferedBytesTotal(), config.tcp().idleTimeoutMicros());
    private final DecodedPacket packet = new DecodedPacket();
    private final CountingListener listener = new CountingListener();
    private final CpuPerOperation cpu = new CpuPerOperation();

    @Setup(Level.Trial)
    public void load() {
        input = CapturedFrames.load(Path.of(capture), frames);
        System.out.printf("%n%s: %d frames, %d bytes per operation%n", capture, input.size(), input.wireBytes);
    }

    @Setup(Level.Iteration)
    public void startCpu() {
        cpu.start();
    }

    @TearDown(Level.Iteration)
    public void printCpu() {
        cpu.print("packet", input.size());
    }

    @Benchmark
    public long decapAndTcp() {
        cpu.count();
        Decapsulator decap = new Decapsulator(config.decap());
        TcpTracker tcp = new TcpTracker(tcpConfig, listener);
        byte[][] f = input.frames;
        for (int i = 0; i < f.length; i++) {
            long ts = input.timestamps[i];
            if (decap.decode(f[i], 0, f[i].length, input.linkTypes[i], ts, packet)) {
                tcp.onPacket(packet);
            }
        }
        tcp.closeAll(input.timestamps[f.length - 1]);
        return listener.bytes;
    }

    /** Takes every connection on the two database ports and counts what it is given. */
    static final class CountingListener implements StreamListener, StreamListenerFactory {
        long bytes;

        @Override
        public StreamListener open(ConnectionInfo connection) {
            return this;
        }

        @Override
        public boolean isServerPort(int port) {
            return port == 5432 || port == 3306;
        }

        @Override
        public void onData(Direction direction, byte[] buffer, int offset, int length, long tsMicros) {
            bytes += length;
        }

        @Override
        public void onGap(Direction direction, long missingBytes, long tsMicros) {
            bytes -= missingBytes;
        }

        @Override
        public void onClose(CloseReason reason, long tsMicros) {}
    }
}
