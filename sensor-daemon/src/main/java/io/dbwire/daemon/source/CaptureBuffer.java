package io.dbwire.daemon.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;

/**
 * A window over a capture file read in large blocks: records are handed on as slices of the window's array, so a
 * packet is never copied on its way to the engine. The window grows for a record larger than itself (bounded by
 * the readers' record limits).
 */
final class CaptureBuffer {
    private static final int BLOCK_BYTES = 4 * 1024 * 1024;

    private final ReadableByteChannel channel;
    private ByteBuffer window = ByteBuffer.allocate(BLOCK_BYTES);
    private boolean endOfFile;

    CaptureBuffer(ReadableByteChannel channel) {
        this.channel = channel;
        window.limit(0);
    }

    void order(ByteOrder order) {
        window.order(order);
    }

    ByteOrder order() {
        return window.order();
    }

    /** Makes at least {@code bytes} unread bytes available; false when the file ends first. */
    boolean require(int bytes) throws IOException {
        if (window.remaining() >= bytes) {
            return true;
        }
        if (bytes > window.capacity()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(bytes, window.capacity() * 2)).order(window.order());
            bigger.put(window);
            bigger.flip();
            window = bigger;
        }
        window.compact();
        while (window.position() < bytes && !endOfFile) {
            if (channel.read(window) < 0) {
                endOfFile = true;
            }
        }
        window.flip();
        return window.remaining() >= bytes;
    }

    /** Any unread byte left (after a {@link #require} that failed: part of a cut record)? */
    boolean hasRemaining() {
        return window.hasRemaining();
    }

    int intAt(int offset) {
        return window.getInt(window.position() + offset);
    }

    int unsignedShortAt(int offset) {
        return window.getShort(window.position() + offset) & 0xFFFF;
    }

    int byteAt(int offset) {
        return window.get(window.position() + offset) & 0xFF;
    }

    long longAt(int offset) {
        return window.getLong(window.position() + offset);
    }

    byte[] array() {
        return window.array();
    }

    /** Array index of the unread byte at {@code offset}. */
    int arrayOffset(int offset) {
        return window.position() + offset;
    }

    void skip(int bytes) {
        window.position(window.position() + bytes);
    }
}
