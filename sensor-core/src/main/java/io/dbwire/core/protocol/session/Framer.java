package io.dbwire.core.protocol.session;

import io.dbwire.core.memory.MemoryAccount;

/**
 * Frames one direction of a connection into its protocol's messages and hands them to a {@link FrameHandler}.
 * The session drives it; what the framing rules are is the protocol's own business.
 */
public interface Framer {
    void onData(byte[] buffer, int offset, int length, long tsMicros);

    /** Bytes are missing here: whatever was partial is given up and the direction resynchronises. */
    void gap();

    /**
     * The other direction spoke: bytes this direction has not framed with confidence belong to an exchange that
     * is over, so a direction still resynchronising after a gap starts probing afresh. Nothing to do by default.
     */
    default void exchangeBoundary() {}

    /** Parsing of this direction ends (TLS, not this protocol, a refused login). */
    void stop();

    /** The connection ended. */
    default void close() {
        stop();
    }

    /**
     * Called while a frame is handled: the rest of the current delivery (TLS records after an SSLRequest) goes
     * to {@link FrameHandler#onTail}; later deliveries bypass the framer.
     */
    void handOff();

    /**
     * The connection has been quiet for a while: between messages, give back buffers that are made again when
     * it next speaks (a direction in the middle of a message keeps them). Nothing to give back by default.
     */
    default void trimIdle() {}

    /** Charge buffer growth to the connection's memory account (nothing to charge by default). */
    default void chargeTo(MemoryAccount account) {}
}
