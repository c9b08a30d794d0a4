package io.dbwire.bench;

import io.dbwire.core.decap.LinkType;
import io.dbwire.daemon.source.FrameBatch;
import io.dbwire.daemon.source.FrameQueue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.ArrayBlockingQueue;
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
 * The receiving thread's cost of handing datagrams to the pipeline in {@code run} ({@link FrameQueue}): copy a
 * 750-byte datagram into the batch, publish every {@code readBurst} datagrams (what one socket read brought),
 * while a pipeline thread takes the batches and gives them back. Nanoseconds per datagram on the receiving side;
 * {@code readBurst} 1 is a quiet link (a batch per datagram), 16 one recvmmsg call. The teardown prints how many
 * datagrams were dropped as queue_full (a full queue is cheaper, so a figure with many drops flatters).
 * {@code handOff=perDatagram} is the hand-off this replaced (issue 10): a pooled frame per datagram through two
 * {@code ArrayBlockingQueue}s, the way {@code FrameQueue} worked before batches ({@code readBurst} does not apply).
 * Run: {@code java -jar sensor-bench/target/benchmarks.jar FrameHandOffBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FrameHandOffBenchmark {
    @Param({"1", "16"})
    public int readBurst;

    @Param({"batches", "perDatagram"})
    public String handOff;

    private FrameQueue queue;
    private PerDatagramQueue former;
    private boolean batches;
    private ByteBuf datagram;
    private Thread pipeline;
    private volatile boolean running;
    private long offered;
    private long dropped;
    private int inBurst;

    @Setup(Level.Trial)
    public void start() {
        queue = new FrameQueue(65_536);
        former = new PerDatagramQueue(65_536);
        batches = "batches".equals(handOff);
        datagram = Unpooled.directBuffer(750).writeZero(750);
        running = true;
        pipeline = new Thread(batches ? this::drain : former::drain, "bench-pipeline");
        pipeline.start();
    }

    private void drain() {
        long frames = 0;
        try {
            while (running) {
                FrameBatch b = queue.poll(100, TimeUnit.MILLISECONDS);
                if (b != null) {
                    for (int i = 0; i < b.size(); i++) {
                        frames += b.length(i);
                    }
                    queue.release(b);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (frames < 0) {
            System.out.println(frames); // keeps the reads
        }
    }

    @Benchmark
    public void offer() {
        if (!batches) {
            perDatagram();
            return;
        }
        offered++;
        if (!queue.offer(datagram, LinkType.VXLAN_PAYLOAD, offered)) {
            dropped++;
        }
        if (++inBurst == readBurst) {
            inBurst = 0;
            queue.flush();
        }
    }

    private void perDatagram() {
        offered++;
        if (!former.offer(datagram)) {
            dropped++;
        }
    }

    /** The former hand-off: each datagram copied into a pooled array, queued and freed through locking queues. */
    private final class PerDatagramQueue {
        private final ArrayBlockingQueue<byte[]> ready;
        private final ArrayBlockingQueue<byte[]> free;

        PerDatagramQueue(int capacity) {
            ready = new ArrayBlockingQueue<>(capacity);
            free = new ArrayBlockingQueue<>(capacity + 2);
            for (int i = 0; i < capacity + 2; i++) {
                free.add(new byte[2_048]);
            }
        }

        boolean offer(ByteBuf content) {
            if (ready.remainingCapacity() == 0) {
                return false;
            }
            byte[] frame = free.poll();
            if (frame == null) {
                return false;
            }
            content.getBytes(content.readerIndex(), frame, 0, content.readableBytes());
            return ready.offer(frame) || !free.offer(frame);
        }

        /** The pipeline thread's loop for {@code handOff=perDatagram}. */
        void drain() {
            try {
                while (running) {
                    byte[] f = ready.poll(100, TimeUnit.MILLISECONDS);
                    if (f != null) {
                        free.offer(f);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        running = false;
        pipeline.join();
        System.out.printf("%nframe hand-off (%s, read burst %d): %d datagrams offered, %d dropped (queue_full)%n",
                handOff, readBurst, offered, dropped);
    }
}
