package io.dbwire.daemon.source;

import io.dbwire.core.decap.LinkType;
import io.netty.buffer.ByteBuf;

/**
 * A reusable copy of one received datagram, owned by the receiving thread until queued and by the pipeline thread
 * after. The buffer grows to the largest datagram it has held and is kept, so steady traffic allocates nothing.
 */
public final class Frame {
    /** Covers a 1500-byte mirrored packet plus its inner Ethernet and VXLAN headers; jumbo frames grow it. */
    static final int INITIAL_BYTES = 2_048;

    private byte[] data = new byte[INITIAL_BYTES];
    private int length;
    private LinkType linkType;
    private long tsMicros;

    void fill(ByteBuf content, LinkType type, long receivedMicros) {
        int n = content.readableBytes();
        if (n > data.length) {
            data = new byte[n];
        }
        content.getBytes(content.readerIndex(), data, 0, n);
        length = n;
        linkType = type;
        tsMicros = receivedMicros;
    }

    void fill(byte[] frame, int offset, int n, LinkType type, long capturedMicros) {
        if (n > data.length) {
            data = new byte[n];
        }
        System.arraycopy(frame, offset, data, 0, n);
        length = n;
        linkType = type;
        tsMicros = capturedMicros;
    }

    /** Hands the frame to the engine; the consumer must not keep the array. */
    public void feed(FrameConsumer consumer) {
        consumer.onFrame(data, 0, length, linkType, tsMicros);
    }

    public int length() {
        return length;
    }
}
