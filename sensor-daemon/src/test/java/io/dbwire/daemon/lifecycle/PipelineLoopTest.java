package io.dbwire.daemon.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.decap.LinkType;
import io.dbwire.core.pipeline.Sensor;
import io.dbwire.daemon.metrics.DaemonCounters;
import io.dbwire.daemon.sink.JsonLineWriter;
import io.dbwire.daemon.source.FrameQueue;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PipelineLoopTest {
    @Test
    void stopDrainsEverythingQueuedThenFinishes() throws Exception {
        FrameQueue queue = new FrameQueue(100);
        for (int i = 0; i < 100; i++) {
            assertThat(queue.offer(Unpooled.wrappedBuffer(new byte[10 + i]), LinkType.VXLAN_PAYLOAD, i)).isTrue();
        }
        queue.flush(); // what a receiving thread does at the end of each read
        JsonLineWriter records = new JsonLineWriter(new ByteArrayOutputStream(), false);
        PipelineLoop loop = new PipelineLoop(new Sensor(SensorConfig.defaults(), r -> { }, a -> { }), queue,
                () -> 1_000L, new DaemonCounters(), records);
        loop.requestStop(); // asked before it even runs: it must still drain the queue first
        Thread t = new Thread(loop);
        t.start();

        assertThat(loop.awaitFinished(20, TimeUnit.SECONDS)).isTrue();
        assertThat(loop.stats().packets()).isEqualTo(100);
        assertThat(loop.stats().bytes()).isEqualTo(100 * 10 + 99 * 100 / 2);
        assertThat(queue.depth()).isZero();
        t.join(TimeUnit.SECONDS.toMillis(20));
        assertThat(t.isAlive()).isFalse();
    }

    /** Frames of the bundled capture (its VXLAN payloads), queued as the UDP receiver would. */
    private static FrameQueue captureQueue() throws Exception {
        java.util.List<byte[]> payloads = io.dbwire.daemon.console.VxlanDatagrams.payloads(
                java.nio.file.Path.of("../testdata/pg-basic-vxlan.pcap"));
        FrameQueue queue = new FrameQueue(payloads.size());
        long ts = 1_000_000L;
        for (byte[] p : payloads) {
            assertThat(queue.offer(Unpooled.wrappedBuffer(p), LinkType.VXLAN_PAYLOAD, ts += 100)).isTrue();
        }
        return queue;
    }

    @Test
    void anErrorEscapingTheEngineDropsTheFrameIsCountedAndTheLoopGoesOn() throws Exception {
        FrameQueue queue = captureQueue();
        int frames = queue.depth();
        java.util.concurrent.atomic.AtomicInteger records = new java.util.concurrent.atomic.AtomicInteger();
        DaemonCounters counters = new DaemonCounters();
        // The engine fences RuntimeExceptions itself; an Error (here StackOverflowError, as a runaway recursion in
        // a parser would throw) is what reaches the loop.
        PipelineLoop loop = new PipelineLoop(new Sensor(SensorConfig.defaults(), r -> {
            if (records.incrementAndGet() <= 3) {
                throw new StackOverflowError("test: a bug in the first three records");
            }
        }, a -> { }), queue, () -> 1_000L, counters, null);
        loop.requestStop();
        Thread t = new Thread(loop);
        t.start();

        assertThat(loop.awaitFinished(20, TimeUnit.SECONDS)).isTrue();
        assertThat(counters.pipelineErrors()).isEqualTo(3);
        assertThat(loop.stats().packets()).isEqualTo(frames); // every frame after the failing ones was processed
        assertThat(records.get()).isGreaterThan(20);          // the capture has 30 records
    }

    @Test
    void anOutOfMemoryErrorOnThePipelineThreadHaltsTheProcess() throws Exception {
        java.util.concurrent.atomic.AtomicInteger halted = new java.util.concurrent.atomic.AtomicInteger(-1);
        io.dbwire.daemon.fault.FatalErrors.haltWith(halted::set);
        try {
            DaemonCounters counters = new DaemonCounters();
            PipelineLoop loop = new PipelineLoop(new Sensor(SensorConfig.defaults(), r -> {
                throw new OutOfMemoryError("test: Java heap space");
            }, a -> { }), captureQueue(), () -> 1_000L, counters, null);
            loop.requestStop();
            Thread t = new Thread(loop);
            t.start();
            assertThat(loop.awaitFinished(20, TimeUnit.SECONDS)).isTrue();
            assertThat(halted.get()).isEqualTo(io.dbwire.daemon.fault.FatalErrors.EXIT_STATUS);
        } finally {
            io.dbwire.daemon.fault.FatalErrors.haltWith(status -> Runtime.getRuntime().halt(status));
        }
    }
}
