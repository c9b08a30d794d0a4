package io.dbwire.core.tls;

import io.dbwire.core.tcp.CloseReason;
import io.dbwire.core.tcp.Direction;
import io.dbwire.core.tcp.StreamListener;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The downstream parser's view: plaintext per direction, gaps, close. */
final class PlaintextRecorder implements StreamListener {
    final ByteArrayOutputStream[] data = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
    final long[] gaps = new long[2];
    final long[] gapCalls = new long[2];
    CloseReason closed;

    @Override
    public void onData(Direction direction, byte[] buffer, int offset, int length, long tsMicros) {
        data[direction.ordinal()].write(buffer, offset, length);
    }

    @Override
    public void onGap(Direction direction, long missingBytes, long tsMicros) {
        gaps[direction.ordinal()] += missingBytes;
        gapCalls[direction.ordinal()]++;
    }

    @Override
    public void onClose(CloseReason reason, long tsMicros) {
        closed = reason;
    }

    String text(Direction d) {
        return data[d.ordinal()].toString(StandardCharsets.ISO_8859_1);
    }
}
