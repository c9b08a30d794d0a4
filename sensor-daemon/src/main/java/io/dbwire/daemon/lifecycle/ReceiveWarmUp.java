package io.dbwire.daemon.lifecycle;

import io.dbwire.core.config.DecapConfig;
import io.dbwire.core.decap.LinkType;
import io.dbwire.daemon.clock.MicrosClock;
import io.dbwire.daemon.health.SourceTable;
import io.dbwire.daemon.metrics.DaemonCounters;
import io.dbwire.daemon.source.DatagramHandler;
import io.dbwire.daemon.source.FrameBatch;
import io.dbwire.daemon.source.FrameConsumer;
import io.dbwire.daemon.source.FrameIntake;
import io.dbwire.daemon.source.FrameQueue;
import io.dbwire.daemon.source.ShardRouter;
import io.dbwire.daemon.source.UdpReceiver;
import io.dbwire.daemon.trust.MirrorFilter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The receive path's half of {@code listen.warm_up}: after the engine ({@link WarmUp}), datagrams go over loopback
 * through a throw-away receiver built like the real one — Netty's epoll read with recvmmsg, {@link DatagramHandler},
 * the hand-off batches ({@link FrameQueue}, behind a {@link ShardRouter} when {@code pipeline_threads} > 1) — and
 * are taken off the queues and dropped. A fresh JVM interprets that path too, several times slower than compiled,
 * and the receiving thread is what must keep up with the mirror: behind it the kernel drops (docs/performance.md,
 * "Fifth round: run"). Nothing of it reaches the real pipeline or its counters.
 */
final class ReceiveWarmUp {
    /** Datagrams the throw-away receiver must have taken: well past the JIT's compile thresholds (C2: 10–15 k). */
    static final int DATAGRAMS = 100_000;
    /** Sent and not yet received beyond this, the sender waits: more would only overflow the loopback socket. */
    private static final int IN_FLIGHT = 4_096;
    private static final int RECEIVE_BUFFER_BYTES = 1 << 20;

    /** What the warm-up sent and what the throw-away receiver took, and how long it took. */
    record Result(long sent, long received, long millis) {}

    private ReceiveWarmUp() {}

    /**
     * Sends {@code datagrams} round and round until the receiver has taken {@link #DATAGRAMS} of them or
     * {@code maxNanos} have passed.
     */
    static Result run(List<byte[]> datagrams, int pipelineThreads, DecapConfig decap, boolean preferEpoll,
            long maxNanos) throws IOException, InterruptedException {
        long start = System.nanoTime();
        List<FrameQueue> queues = new ArrayList<>();
        for (int i = 0; i < pipelineThreads; i++) {
            queues.add(new FrameQueue(FrameQueue.BATCH_FRAMES * 64));
        }
        FrameIntake intake = pipelineThreads == 1 ? queues.get(0) : new ShardRouter(queues, decap);
        DaemonCounters counters = new DaemonCounters();
        List<Drain> drains = new ArrayList<>();
        for (FrameQueue q : queues) {
            drains.add(Drain.start(q));
        }
        long sent = 0;
        try (UdpReceiver receiver = new UdpReceiver(preferEpoll); DatagramChannel out = DatagramChannel.open()) {
            InetSocketAddress at = receiver.bind("127.0.0.1", 0, RECEIVE_BUFFER_BYTES, new DatagramHandler(intake,
                    LinkType.VXLAN_PAYLOAD, MicrosClock.SYSTEM, counters, MirrorFilter.OPEN, new SourceTable(16)));
            out.connect(at);
            List<ByteBuffer> buffers = new ArrayList<>();
            for (byte[] d : datagrams) {
                buffers.add(ByteBuffer.allocateDirect(d.length).put(d).flip());
            }
            while (counters.datagrams() < DATAGRAMS && System.nanoTime() - start < maxNanos) {
                if (sent - counters.datagrams() > IN_FLIGHT) {
                    Thread.sleep(1);
                    continue;
                }
                ByteBuffer b = buffers.get((int) (sent % buffers.size()));
                out.write(b.rewind());
                sent++;
            }
        } finally {
            for (Drain d : drains) {
                d.stop();
            }
        }
        return new Result(sent, counters.datagrams(), (System.nanoTime() - start) / 1_000_000L);
    }

    /** Takes batches off one throw-away queue, as a pipeline thread does, and drops their frames. */
    private static final class Drain implements Runnable {
        private static final FrameConsumer DROP = (frame, offset, length, linkType, tsMicros) -> { };
        private final FrameQueue queue;
        private final Thread thread;
        private volatile boolean stopping;

        private Drain(FrameQueue queue) {
            this.queue = queue;
            this.thread = new Thread(this, "dbwire-warmup-drain");
            thread.setDaemon(true);
        }

        static Drain start(FrameQueue queue) {
            Drain d = new Drain(queue);
            d.thread.start();
            return d;
        }

        @Override
        public void run() {
            try {
                while (!stopping || queue.depth() > 0) {
                    FrameBatch b = queue.poll(10, TimeUnit.MILLISECONDS);
                    if (b != null) {
                        for (int i = 0; i < b.size(); i++) {
                            b.feed(i, DROP);
                        }
                        queue.release(b);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** After the receiver is closed: takes what is left, then ends. */
        void stop() throws InterruptedException {
            stopping = true;
            thread.join();
        }
    }
}
