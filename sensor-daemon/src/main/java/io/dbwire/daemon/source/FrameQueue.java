package io.dbwire.daemon.source;

import io.dbwire.core.decap.LinkType;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded hand-off from the receiving threads to one pipeline thread. Each receiving thread copies its
 * frames into a {@link FrameBatch} of its own and publishes the batch when it is full or when the thread calls
 * {@link #flush()} (the UDP handler does at the end of every socket read, so a batch is as large as what one read
 * burst brought and a quiet link adds no delay). The pipeline thread takes whole batches: the lock and wake-up
 * that the former per-datagram queue paid twice per datagram are paid once per batch.
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
    private final ArrayBlockingQueue<FrameBatch> ready;
    private final ArrayBlockingQueue<FrameBatch> free;
    private final AtomicInteger created = new AtomicInteger();
    /** Frames in published batches the pipeline has not taken yet. */
    private final AtomicInteger queued = new AtomicInteger();
    private final ThreadLocal<Producer> producers = ThreadLocal.withInitial(Producer::new);

    public FrameQueue(int capacity) {
        this.capacity = Math.max(1, capacity);
        this.batchFrames = Math.min(BATCH_FRAMES, this.capacity);
        this.maxBatches = this.capacity + 2;
        this.ready = new ArrayBlockingQueue<>(maxBatches);
        this.free = new ArrayBlockingQueue<>(maxBatches);
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
        FrameBatch b = ready.poll(timeout, unit);
        if (b != null) {
            queued.addAndGet(-b.size());
        }
        return b;
    }

    public void release(FrameBatch b) {
        b.clear();
        free.offer(b);
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
            ready.add(filling); // never full: it holds every batch there is
            filling = null;
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
