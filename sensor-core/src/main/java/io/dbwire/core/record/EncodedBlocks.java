package io.dbwire.core.record;

import java.util.Arrays;

/**
 * Slots of encoded JSON bytes that {@link RecordLine} copies instead of encoding the same values again: the
 * storage behind {@link ConnectionBlocks} and {@link StatementBlocks}, which decide what a slot's bytes stand
 * for. A slot's array is reused and grows only when a longer block is kept there, so a miss allocates nothing
 * once the slots have grown. Bounded: {@code slots} arrays of at most {@code maxBytes} each.
 */
final class EncodedBlocks {
    private final byte[][] bytes;
    private final int[] lengths;
    private final int maxBytes;

    EncodedBlocks(int slots, int maxBytes) {
        this.bytes = new byte[slots][];
        this.lengths = new int[slots];
        this.maxBytes = maxBytes;
    }

    /** Copies the kept block of {@code slot} to {@code out}. */
    void writeTo(JsonBytes out, int slot) {
        out.raw(bytes[slot], lengths[slot]);
    }

    /**
     * Keeps {@code src[from, to)} as the block of {@code slot}; false (nothing kept, the slot emptied) when it is
     * longer than the bound.
     */
    boolean keep(int slot, byte[] src, int from, int to) {
        int n = to - from;
        if (n > maxBytes) {
            lengths[slot] = 0;
            return false;
        }
        byte[] b = bytes[slot];
        if (b == null || b.length < n) {
            b = new byte[Math.max(n, b == null ? 0 : Math.min(maxBytes, b.length * 2))];
            bytes[slot] = b;
        }
        System.arraycopy(src, from, b, 0, n);
        lengths[slot] = n;
        return true;
    }

    /** Bytes held over all slots (their arrays' sizes), for tests of the bound. */
    long heldBytes() {
        return Arrays.stream(bytes).mapToLong(b -> b == null ? 0 : b.length).sum();
    }
}
