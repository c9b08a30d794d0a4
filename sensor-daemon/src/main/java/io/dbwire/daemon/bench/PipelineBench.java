package io.dbwire.daemon.bench;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.pipeline.Sensor;
import io.dbwire.core.record.RecordSink;
import io.dbwire.daemon.sink.JsonLineWriter;
import io.dbwire.daemon.sink.RecordLineSink;
import io.dbwire.daemon.source.FrameConsumer;
import io.dbwire.daemon.source.FrameQueue;
import io.dbwire.daemon.source.PcapFileSource;
import io.dbwire.daemon.source.ShardRouter;
import io.dbwire.daemon.source.SourceException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The whole engine (decap, TCP, TLS, protocols, records encoded to JSON bytes, detection) over one capture, the
 * way replay and run drive it. Records are encoded and then discarded, alerts are counted.
 */
final class PipelineBench {
    private final SensorConfig config;

    PipelineBench(SensorConfig config) {
        this.config = config;
    }

    /** As {@code replay} does it: read the file and feed one sensor on this thread. */
    BenchResult fromFile(Path file) throws SourceException {
        long[] gc = CpuMeter.gc();
        long start = System.nanoTime();
        CpuMeter.Mark mark = CpuMeter.start();
        AtomicLong records = new AtomicLong();
        long[] wire = {0};
        Sensor sensor = new Sensor(config, counting(records, discardingJson()), a -> { });
        long packets = PcapFileSource.read(file, (f, off, len, lt, ts) -> {
            wire[0] += len;
            sensor.onFrame(f, off, len, lt, ts);
        }).packets();
        sensor.finish();
        return result("file, one thread", 1, packets, wire[0], records.get(), start, mark.used(), gc);
    }

    /** Frames already in memory, one sensor on this thread: the engine alone. */
    BenchResult inMemory(CaptureInMemory capture) {
        long[] gc = CpuMeter.gc();
        long start = System.nanoTime();
        CpuMeter.Mark mark = CpuMeter.start();
        AtomicLong records = new AtomicLong();
        Sensor sensor = new Sensor(config, counting(records, discardingJson()), a -> { });
        FrameConsumer engine = sensor::onFrame; // one consumer for all frames: the harness allocates nothing per frame
        for (int i = 0; i < capture.frames(); i++) {
            capture.feed(i, engine);
        }
        sensor.finish();
        return result("memory, one thread", 1, capture.frames(), capture.wireBytes(), records.get(), start,
                mark.used(), gc);
    }

    /**
     * As {@code run} with {@code listen.pipeline_threads} = shards: frames routed by flow hash (on this thread,
     * counted in the CPU time), then one sensor per shard thread. Detection is left out here: in {@code run} it is
     * one more thread fed by the shards.
     */
    BenchResult sharded(CaptureInMemory capture, int shards) throws InterruptedException {
        long[] gc = CpuMeter.gc();
        long start = System.nanoTime();
        CpuMeter.Mark routing = CpuMeter.start();
        List<FrameQueue> unused = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            unused.add(new FrameQueue(1));
        }
        ShardRouter router = new ShardRouter(unused, config.decap());
        int[][] perShard = new int[shards][capture.frames()];
        int[] counts = new int[shards];
        int[] routed = {0};
        FrameConsumer route = (f, off, len, lt, ts) -> routed[0] = router.shardOf(f, off, len, lt, ts);
        for (int i = 0; i < capture.frames(); i++) {
            capture.feed(i, route);
            perShard[routed[0]][counts[routed[0]]++] = i;
        }
        CpuMeter.Usage total = routing.used();
        AtomicLong records = new AtomicLong();
        CpuMeter.Usage[] used = new CpuMeter.Usage[shards];
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            int shard = s;
            Thread t = new Thread(() -> {
                CpuMeter.Mark mark = CpuMeter.start();
                Sensor sensor = Sensor.withoutDetection(config, counting(records, discardingJson()), null, shard,
                        shards);
                FrameConsumer engine = sensor::onFrame;
                for (int k = 0; k < counts[shard]; k++) {
                    capture.feed(perShard[shard][k], engine);
                }
                sensor.finish();
                used[shard] = mark.used();
            }, "bench-shard-" + s);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (CpuMeter.Usage u : used) {
            total = total.plus(u);
        }
        return result("memory, shards", shards, capture.frames(), capture.wireBytes(), records.get(), start, total,
                gc);
    }

    private static BenchResult result(String mode, int threads, long packets, long wire, long records, long start,
            CpuMeter.Usage used, long[] gcBefore) {
        long wall = System.nanoTime() - start;
        long[] gc = CpuMeter.gc();
        return new BenchResult(mode, threads, packets, wire, records, wall, used.cpuNanos(), used.allocatedBytes(),
                gc[0] - gcBefore[0], gc[1] - gcBefore[1]);
    }

    /** Records encoded to JSON bytes exactly as replay writes them, into a stream that drops them. */
    private static RecordSink discardingJson() {
        return new RecordLineSink(new JsonLineWriter(OutputStream.nullOutputStream(), false));
    }

    private static RecordSink counting(AtomicLong records, RecordSink next) {
        return r -> {
            records.incrementAndGet();
            next.accept(r);
        };
    }
}
