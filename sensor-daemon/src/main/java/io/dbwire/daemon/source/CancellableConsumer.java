package io.dbwire.daemon.source;

import io.dbwire.core.decap.LinkType;
import java.util.function.BooleanSupplier;

/**
 * Counts the frames it passes on and, once {@code cancelled} turns true after a frame, unwinds the file reader
 * with {@link Cancelled}: replay's SIGINT stops after the current packet without the readers knowing about it.
 */
final class CancellableConsumer implements FrameConsumer {
    /** Thrown past the reader's loop; carries no stack trace because it is control flow, not a fault. */
    static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    private final FrameConsumer next;
    private final BooleanSupplier cancelled;
    private long packets;

    CancellableConsumer(FrameConsumer next, BooleanSupplier cancelled) {
        this.next = next;
        this.cancelled = cancelled;
    }

    @Override
    public void onFrame(byte[] frame, int offset, int length, LinkType linkType, long tsMicros) {
        packets++;
        next.onFrame(frame, offset, length, linkType, tsMicros);
        if (cancelled.getAsBoolean()) {
            throw new Cancelled();
        }
    }

    long packets() {
        return packets;
    }
}
