package io.dbwire.core.protocol.toy;

import io.dbwire.core.protocol.session.FrameHandler;
import io.dbwire.core.protocol.session.Framer;
import io.dbwire.core.protocol.session.WireFrame;
import java.nio.charset.StandardCharsets;

/**
 * Frames one direction of the toy line protocol: each message is one line ending in '\n', at most
 * {@link #MAX_LINE} bytes. After a gap or an overlong line the direction skips to the next '\n'.
 */
final class ToyFramer implements Framer {
    static final int MAX_LINE = 1024;

    /** One line, without its '\n'. */
    static final class Line extends WireFrame {
        String text;
    }

    private final FrameHandler<Line> handler;
    private final Line line = new Line();
    private final byte[] buffer = new byte[MAX_LINE];
    private int fill;
    private boolean skipping;
    private boolean stopped;

    ToyFramer(FrameHandler<Line> handler) {
        this.handler = handler;
    }

    @Override
    public void onData(byte[] in, int offset, int length, long tsMicros) {
        for (int i = offset; i < offset + length && !stopped; i++) {
            if (fill == 0 && !skipping) {
                line.firstTs = tsMicros;
            }
            if (in[i] != '\n') {
                if (fill == MAX_LINE) {
                    fill = 0;
                    skipping = true;
                    handler.onDesync();
                }
                if (!skipping) {
                    buffer[fill++] = in[i];
                }
                continue;
            }
            if (!skipping) {
                line.text = new String(buffer, 0, fill, StandardCharsets.UTF_8);
                line.wireBytes = fill + 1;
                line.lastTs = tsMicros;
                handler.onFrame(line);
            }
            fill = 0;
            skipping = false;
        }
    }

    @Override
    public void gap() {
        fill = 0;
        skipping = true;
    }

    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public void handOff() {
        stopped = true; // the toy protocol has no TLS upgrade
    }
}
