package io.dbwire.core.tcp;

/**
 * Receives the reassembled byte streams of one connection, in order, from the TCP layer.
 *
 * <p>The contract parsers rely on: {@code onData} delivers each byte of a direction exactly once and in
 * sequence order; where bytes are missing (loss, truncation, eviction) {@code onGap} reports how many, at the
 * place they would have been, and never splices bytes silently. The buffer passed to {@code onData} is only
 * valid during the call: a listener that needs bytes later copies them.
 */
public interface StreamListener {

    void onData(Direction direction, byte[] buffer, int offset, int length, long tsMicros);

    void onGap(Direction direction, long missingBytes, long tsMicros);

    /** Called once; no further calls follow. */
    void onClose(CloseReason reason, long tsMicros);

    /**
     * The connection has carried no packet for a few seconds of packet time ({@code TcpTracker}'s idle trim,
     * called once per quiet spell): give back buffers that are made again when it next speaks. Nothing by default.
     */
    default void onQuiet() {}

    StreamListener IGNORE = new StreamListener() {
        @Override
        public void onData(Direction direction, byte[] buffer, int offset, int length, long tsMicros) {}

        @Override
        public void onGap(Direction direction, long missingBytes, long tsMicros) {}

        @Override
        public void onClose(CloseReason reason, long tsMicros) {}
    };
}
