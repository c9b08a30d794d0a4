package io.dbwire.daemon.source;

import io.dbwire.core.decap.LinkType;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded hand-off from the receiving event loop to the single pipeline thread, with a pool of {@link Frame}s
 * so that steady traffic allocates nothing. Frames are created lazily, at most capacity + 2 of them (the queue,
 * the one being filled, the one being processed), which bounds memory to about capacity × largest datagram.
 * When the queue is full the datagram is dropped: the caller counts it as {@code queue_full}.
 */
public final class FrameQueue implements FrameIntake {
    private final ArrayBlockingQueue<Frame> ready;
    private final ArrayBlockingQueue<Frame> free;
    private final AtomicInteger created = new AtomicInteger();
    private final int maxFrames;

    public FrameQueue(int capacity) {
        this.ready = new ArrayBlockingQueue<>(capacity);
        this.maxFrames = capacity + 2;
        this.free = new ArrayBlockingQueue<>(maxFrames);
    }

    /** Copies the datagram in; false when the queue is full (nothing was kept). Receiving thread. */
    @Override
    public boolean offer(ByteBuf content, LinkType linkType, long receivedMicros) {
        Frame f = takeFree();
        if (f == null) {
            return false;
        }
        f.fill(content, linkType, receivedMicros);
        return enqueue(f);
    }

    /** Copies a captured frame in; false when the queue is full (nothing was kept). Capturing thread. */
    @Override
    public boolean offer(byte[] frame, int offset, int length, LinkType linkType, long tsMicros) {
        Frame f = takeFree();
        if (f == null) {
            return false;
        }
        f.fill(frame, offset, length, linkType, tsMicros);
        return enqueue(f);
    }

    private Frame takeFree() {
        if (ready.remainingCapacity() == 0) {
            return null;
        }
        Frame f = free.poll();
        if (f == null) {
            if (created.incrementAndGet() > maxFrames) {
                created.decrementAndGet();
                return null;
            }
            f = new Frame();
        }
        return f;
    }

    private boolean enqueue(Frame f) {
        if (!ready.offer(f)) {
            free.offer(f);
            return false;
        }
        return true;
    }

    /** The next frame, or null after {@code timeout}. Pipeline thread; give the frame back with {@link #release}. */
    public Frame poll(long timeout, TimeUnit unit) throws InterruptedException {
        return ready.poll(timeout, unit);
    }

    public void release(Frame f) {
        free.offer(f);
    }

    public int depth() {
        return ready.size();
    }
}
