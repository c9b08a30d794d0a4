package io.dbwire.daemon.source;

import io.dbwire.core.decap.LinkType;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Up to {@code maxFrames} received frames copied back to back into one reusable byte array, handed from the
 * receiving thread to a pipeline thread in one queue operation (issue 10: one lock and one wake-up per batch, not
 * per datagram). Owned by the receiving thread while it fills it and by the pipeline thread after. The array
 * starts small and doubles when a frame does not fit; it is kept, so steady traffic allocates nothing. It never
 * grows beyond twice what {@code maxFrames} of the largest frame need.
 */
public final class FrameBatch {
    /** One 1500-byte datagram with its VXLAN headers: a batch that carries one datagram costs what a frame did. */
    static final int INITIAL_BYTES = 2_048;

    private byte[] bytes = new byte[INITIAL_BYTES];
    private final int[] offsets;
    private final int[] lengths;
    private final long[] times;
    private final LinkType[] types;
    private int size;
    private int used;

    FrameBatch(int maxFrames) {
        offsets = new int[maxFrames];
        lengths = new int[maxFrames];
        times = new long[maxFrames];
        types = new LinkType[maxFrames];
    }

    void add(ByteBuf content, LinkType type, long tsMicros) {
        int n = content.readableBytes();
        int at = reserve(n, type, tsMicros);
        content.getBytes(content.readerIndex(), bytes, at, n);
    }

    void add(byte[] frame, int offset, int n, LinkType type, long tsMicros) {
        int at = reserve(n, type, tsMicros);
        System.arraycopy(frame, offset, bytes, at, n);
    }

    private int reserve(int n, LinkType type, long tsMicros) {
        if (used + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + n));
        }
        int at = used;
        offsets[size] = at;
        lengths[size] = n;
        times[size] = tsMicros;
        types[size] = type;
        size++;
        used += n;
        return at;
    }

    boolean full() {
        return size == offsets.length;
    }

    void clear() {
        size = 0;
        used = 0;
    }

    public int size() {
        return size;
    }

    public int length(int i) {
        return lengths[i];
    }

    /** Hands frame {@code i} to the engine; the consumer must not keep the array. */
    public void feed(int i, FrameConsumer consumer) {
        consumer.onFrame(bytes, offsets[i], lengths[i], types[i], times[i]);
    }
}
