package io.dbwire.core.protocol.session;

import java.util.Arrays;

/**
 * The body buffer of one framer direction. Its size follows the bytes that actually arrived, never a length a
 * header declares: it starts at {@value #INITIAL_BYTES} bytes, doubles as bytes are copied in (up to the keep
 * cap), and after a message larger than {@value #RETAINED_BYTES} bytes goes back to the initial size, so a
 * header-only flood costs {@value #INITIAL_BYTES} bytes per direction and one long statement does not pin its
 * buffer for the life of the connection.
 */
public final class MessageBuffer {
    public static final int INITIAL_BYTES = 256;
    /** Largest buffer kept between messages: typical statements fit, a rare long one is released after use. */
    public static final int RETAINED_BYTES = 16 * 1024;

    private final int cap;
    private byte[] bytes;

    public MessageBuffer(int cap) {
        this.cap = Math.max(1, cap);
        this.bytes = new byte[Math.min(INITIAL_BYTES, this.cap)];
    }

    public byte[] array() {
        return bytes;
    }

    public int capacity() {
        return bytes.length;
    }

    /**
     * Appends {@code len} bytes at {@code at} (the bytes kept so far), growing geometrically; the caller keeps
     * {@code at + len} within the cap. Returns the (possibly new) array.
     */
    public byte[] put(int at, byte[] src, int offset, int len) {
        int need = at + len;
        if (bytes.length < need) {
            long doubled = Math.max(need, 2L * bytes.length);
            bytes = Arrays.copyOf(bytes, (int) Math.min(cap, doubled));
        }
        System.arraycopy(src, offset, bytes, at, len);
        return bytes;
    }

    /** The message that used the buffer was handled: a buffer grown past the retained size is released. */
    public void release() {
        if (bytes.length > RETAINED_BYTES) {
            bytes = new byte[Math.min(INITIAL_BYTES, cap)];
        }
    }
}
