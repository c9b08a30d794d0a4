package io.dbwire.daemon.source;

import io.dbwire.core.decap.LinkType;

/** Where a source hands frames: {@code Sensor::onFrame} in production, a recorder in tests. */
@FunctionalInterface
public interface FrameConsumer {
    /** The array is only valid during the call. */
    void onFrame(byte[] frame, int offset, int length, LinkType linkType, long tsMicros);
}
