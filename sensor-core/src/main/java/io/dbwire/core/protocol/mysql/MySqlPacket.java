package io.dbwire.core.protocol.mysql;

import io.dbwire.core.protocol.session.WireFrame;

/**
 * One logical packet as the framer hands it over: the sequence id of its first physical packet, a bounded
 * prefix of the payload, and wire accounting. A single mutable instance per framer is reused: handlers read it
 * during the callback and copy what they keep.
 */
final class MySqlPacket extends WireFrame {
    int seq;
    /** Sequence id of the last physical packet (differs from {@link #seq} for a split packet). */
    int lastSeq;
    /** Payload length over all physical packets of a split packet. */
    long length;

    /** First payload byte, or -1 for an empty payload. */
    int first() {
        return kept > 0 ? body[0] & 0xff : -1;
    }
}
