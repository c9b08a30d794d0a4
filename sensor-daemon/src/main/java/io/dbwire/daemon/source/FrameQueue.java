package io.dbwire.daemon.source;

import io.dbwire.core.decap.LinkType;
import io.netty.buffer.ByteBuf;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.MpscArrayQueue;

/**
 * The bounded hand-off from the receiving threads to one pipeline thread. Each receiving thread copies its
 * frames into a {@link FrameBatch} of its own and publishes the batch when it is full or when the thread calls
 * {@link #flush()} (the UDP handler does at the end of every socket read, so a batch is as large as what one read
 * burst brought and a quiet link adds no delay). The pipeline thread takes whole batches. Both queues (batches
 * ready, batches free) are JCTools lock-free arrays: the former per-datagram {@code ArrayBlockingQueue}s took a
 * lock twice per datagram on each side and contended for it (a fifth of the receiving thread in a JFR profile).
 * An idle pipeline thread parks and the publishing thread unparks it, once per batch and only while it waits.
 *
 * <p>Bounds: at most {@code capacity} frames are accepted and not yet taken by the pipeline (exact for one
 * receiving thread; each further thread may hold one more partly filled batch), and at most {@code capacity + 2}
 * batches exist, made on demand and reused. A frame over the bound is dropped and {@code offer} returns false:
 * the caller counts it as {@code queue_full}.
 */
public final class FrameQueue implements FrameIntake {
    /** Frames per batch: 64 datagrams of 1500 bytes are about 100 KiB, two of Netty's recvmmsg reads of 16. */
    public static final int BATCH_FRAMES = 64;

    private final int capacity;
    private final int batchFrames;
    private final int maxBatches;
    /** Published batches: receiving threads offer, the pipeline thread polls. */
    private final MpscArrayQueue<FrameBatch> ready;
    /** Batches to reuse: the pipeline thread offers, receiving threads poll. */
    private final MpmcArrayQueue<FrameBatch> free;
    /** The pipeline thread while it is parked waiting for a batch, else null. */
    private volatile Thread waiter;
    private final AtomicInteger created = new AtomicInteger();
    /** Frames in published batches the pipeline has not taken yet. */
    private final AtomicInteger queued = new AtomicInteger();
    private final ThreadLocal<Producer> producers = ThreadLocal.withInitial(Producer::new);

    public FrameQueue(int capacity) {
        this.capacity = Math.max(1, capacity);
        this.batchFrames = Math.min(BATCH_FRAMES, this.capacity);
        this.maxBatches = this.capacity + 2;
        this.ready = new MpscArrayQueue<>(maxBatches);
        this.free = new MpmcArrayQueue<>(Math.max(2, maxBatches));
    }

    /** Copies the datagram into the calling thread's batch; false when the queue is full (nothing was kept). */
    @Override
    public boolean offer(ByteBuf content, LinkType linkType, long receivedMicros) {
        return producers.get().offer(content, linkType, receivedMicros);
    }

    /** Copies a captured frame into the calling thread's batch; false when the queue is full. */
    @Override
    public boolean offer(byte[] frame, int offset, int length, LinkType linkType, long tsMicros) {
        return producers.get().offer(frame, offset, length, linkType, tsMicros);
    }

    /** Publishes the calling thread's partly filled batch, if any. */
    @Override
    public void flush() {
        producers.get().flush();
    }

    /**
     * A batch filler for one receiving thread, for callers that keep their own per-thread state (the shard
     * router); {@link #offer} uses one per calling thread.
     */
    public Producer newProducer() {
        return new Producer();
    }

    /** The next batch, or null after {@code timeout}. Pipeline thread; give it back with {@link #release}. */
    public FrameBatch poll(long timeout, TimeUnit unit) throws InterruptedException {
        FrameBatch b = ready.poll();
        if (b == null) {
            b = await(System.nanoTime() + unit.toNanos(timeout));
        }
        if (b != null) {
            queued.addAndGet(-b.size());
        }
        return b;
    }

    /** Parks until a batch is published or the deadline passes; {@link Producer#publish} wakes it. */
    private FrameBatch await(long deadline) throws InterruptedException {
        try {
            while (true) {
                waiter = Thread.currentThread(); // before looking again, so a publish after the look unparks
                FrameBatch b = ready.poll();
                long left = deadline - System.nanoTime();
                if (b != null || left <= 0) {
                    return b;
                }
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            waiter = null;
        }
    }

    public void release(FrameBatch b) {
        b.clear();
        free.offer(b); // never full: it has room for every batch there is
    }

    /** Frames published and not yet taken by the pipeline. */
    public int depth() {
        return queued.get();
    }

    /** Fills one batch at a time; not thread-safe: one per receiving thread. */
    public final class Producer {
        private FrameBatch filling;

        public boolean offer(ByteBuf content, LinkType linkType, long receivedMicros) {
            if (!room()) {
                return false;
            }
            filling.add(content, linkType, receivedMicros);
            publishIfFull();
            return true;
        }

        public boolean offer(byte[] frame, int offset, int length, LinkType linkType, long tsMicros) {
            if (!room()) {
                return false;
            }
            filling.add(frame, offset, length, linkType, tsMicros);
            publishIfFull();
            return true;
        }

        public void flush() {
            if (filling != null && filling.size() > 0) {
                publish();
            }
        }

        private boolean room() {
            int held = filling == null ? 0 : filling.size();
            if (queued.get() + held >= capacity) {
                return false;
            }
            if (filling == null) {
                filling = takeFree();
            }
            return filling != null;
        }

        private void publishIfFull() {
            if (filling.full()) {
                publish();
            }
        }

        private void publish() {
            queued.addAndGet(filling.size());
            ready.offer(filling); // never full: it has room for every batch there is
            filling = null;
            VarHandle.fullFence(); // the offer before the look at waiter, as the waiter sets it before it looks
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }

    private FrameBatch takeFree() {
        FrameBatch b = free.poll();
        if (b == null) {
            if (created.incrementAndGet() > maxBatches) {
                created.decrementAndGet();
                return null;
            }
            b = new FrameBatch(batchFrames);
        }
        return b;
    }
}
