package io.dbwire.core.protocol.session;

/** What a {@link Framer} reports to its session. */
public interface FrameHandler<F> {
    void onFrame(F frame);

    /** A violation broke the stream's alignment: what was in flight may have lost messages. */
    void onDesync();

    /** After {@link Framer#handOff()}: the bytes of this direction that are no longer the protocol's. */
    void onTail(byte[] buffer, int offset, int length, long tsMicros);

    /** Bytes of a body worth keeping, given its first byte (the session knows what it expects). */
    default int keep(int firstByte) {
        return Integer.MAX_VALUE;
    }
}
