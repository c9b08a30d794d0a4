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
}
