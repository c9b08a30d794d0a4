package io.dbwire.core.protocol.session;

import io.dbwire.core.memory.MemoryAccount;
import io.dbwire.core.memory.MemoryConsumer;
import io.dbwire.core.memory.ShedReason;
import java.util.Arrays;

/**
 * The body buffer of one framer direction. Its size follows the bytes that actually arrived, never a length a
 * header declares: it is empty until the first body byte, then {@value #INITIAL_BYTES} bytes, doubles as bytes
 * are copied in (up to the keep cap), and after a message larger than {@value #RETAINED_BYTES} bytes goes back to
 * empty, so a header-only flood costs no buffer and one long statement does not pin its buffer for the life of
 * the connection. A connection gone quiet gives its buffer back ({@link #trim}); it is made again when the
 * connection next speaks. All of it is charged to the account: the flow's fixed cost holds no buffer.
 */
public final class MessageBuffer {
    public static final int INITIAL_BYTES = 256;
    /** Largest buffer kept between messages: typical statements fit, a rare long one is released after use. */
    public static final int RETAINED_BYTES = 16 * 1024;

    private static final byte[] EMPTY = new byte[0];

    private final int cap;
    private final int initial;
    private byte[] bytes = EMPTY;
    /** Every byte of the buffer is charged here. */
    private MemoryAccount account = MemoryAccount.NONE;
    private MemoryConsumer consumer = MemoryConsumer.MESSAGE_BUFFERS;
    private ShedReason shedReason = ShedReason.MESSAGE_TRUNCATED;

    public MessageBuffer(int cap) {
        this.cap = Math.max(1, cap);
        this.initial = Math.min(INITIAL_BYTES, this.cap);
    }

    /** Charge growth to {@code account} as {@code consumer}; a refused growth is counted as {@code reason}. */
    public void chargeTo(MemoryAccount account, MemoryConsumer consumer, ShedReason reason) {
        this.account = account;
        this.consumer = consumer;
        this.shedReason = reason;
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
            bytes = Arrays.copyOf(bytes, grownSize(need));
        }
        System.arraycopy(src, offset, bytes, at, len);
        return bytes;
    }

    /**
     * Like {@link #put}, but grows only as far as the memory budget allows: returns the bytes copied, fewer than
     * {@code len} when the budget refused the growth (counted by the account; the caller keeps less).
     */
    public int append(int at, byte[] src, int offset, int len) {
        int need = at + len;
        if (bytes.length < need) {
            int grown = grownSize(need);
            if (!account.tryGrow(consumer, grown - bytes.length, shedReason)) {
                if (!account.tryGrow(consumer, need - bytes.length, shedReason)) {
                    len = Math.max(0, Math.min(len, bytes.length - at)); // what still fits, as it is
                    System.arraycopy(src, offset, bytes, at, len);
                    return len;
                }
                grown = need;
            }
            bytes = Arrays.copyOf(bytes, grown);
        }
        if (len == 1) {
            bytes[at] = src[offset]; // a row's first byte, kept to tell a row from a terminator: no copy-stub call
        } else {
            System.arraycopy(src, offset, bytes, at, len);
        }
        return len;
    }

    /**
     * At least the initial size, doubling, up to the cap, but stopping at {@value #RETAINED_BYTES} while the need
     * fits there: a doubling past it would make a buffer {@link #release} drops, so every statement of 8–16 KiB
     * would grow a new one.
     */
    private int grownSize(int need) {
        int grown = (int) Math.min(cap, Math.max(need, Math.max(initial, 2L * bytes.length)));
        return need <= RETAINED_BYTES ? Math.min(grown, RETAINED_BYTES) : grown;
    }

    /** The message that used the buffer was handled: a buffer grown past the retained size is released. */
    public void release() {
        if (bytes.length > RETAINED_BYTES) {
            trim();
        }
    }

    /**
     * Gives the buffer back (the owner holds no message in it): the connection went quiet, or a message outgrew
     * what is retained. The next byte copied in allocates again.
     */
    public void trim() {
        if (bytes.length > 0) {
            account.shrink(consumer, bytes.length);
            bytes = EMPTY;
        }
    }
}
