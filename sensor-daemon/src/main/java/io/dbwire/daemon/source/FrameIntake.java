package io.dbwire.daemon.source;

import io.dbwire.core.decap.LinkType;
import io.netty.buffer.ByteBuf;

/** Where receiving threads put frames for the pipeline: one queue, or a router over several; see {@link #flush}. */
public interface FrameIntake {
    /** Copies a datagram in; false when it was dropped (the caller counts {@code queue_full}). */
    boolean offer(ByteBuf content, LinkType linkType, long receivedMicros);

    /** Copies a captured frame in; false when it was dropped (the caller counts {@code queue_full}). */
    boolean offer(byte[] frame, int offset, int length, LinkType linkType, long tsMicros);

    /**
     * Hands what the calling thread offered so far to the pipeline: frames travel in batches, published when full
     * or here. A receiving thread calls it when it has nothing more to read at once (end of a socket read).
     */
    void flush();
}
