package io.dbwire.core.tcp;

import io.dbwire.core.memory.MemoryBudget;
import io.dbwire.core.memory.MemoryConsumer;
import io.dbwire.core.memory.ShedReason;

/**
 * Out-of-order bytes held across all flows of one tracker, against {@code TcpConfig.maxBufferedBytesTotal} and
 * the shard's {@link MemoryBudget} (as {@link MemoryConsumer#REASSEMBLY}, each segment with its object overhead).
 * Single-threaded like the tracker that owns it.
 */
final class BufferBudget {
    /** Heap of a held segment beyond its bytes: the segment object, its array header, its map or list entry. */
    static final int SEGMENT_OVERHEAD_BYTES = 96;

    private final long limit;
    private final MemoryBudget memory;
    private long used;

    BufferBudget(long limit) {
        this(limit, MemoryBudget.unlimited());
    }

    BufferBudget(long limit, MemoryBudget memory) {
        this.limit = limit;
        this.memory = memory;
    }

    long available() {
        return Math.min(limit - used, memory.available() - SEGMENT_OVERHEAD_BYTES);
    }

    /**
     * Whether {@code need} more bytes fit both bounds; when only the memory budget is short, the bytes the caller
     * now gives up are counted as {@link ShedReason#HOLD_RELEASED}.
     */
    boolean fits(int need) {
        if (available() >= need) {
            return true;
        }
        if (limit - used >= need) {
            memory.shed(ShedReason.HOLD_RELEASED);
        }
        return false;
    }

    /** Whether the total bound has room to hold {@code need} more bytes. */
    boolean totalFits(int need) {
        return limit - used >= need;
    }

    /** Whether the memory budget has room to hold {@code need} more bytes; if not, counts one shed hold. */
    boolean memoryFits(int need) {
        if (memory.available() - SEGMENT_OVERHEAD_BYTES >= need) {
            return true;
        }
        memory.shed(ShedReason.HOLD_RELEASED);
        return false;
    }

    long used() {
        return used;
    }

    /** Callers check {@link #available()} first; the budget itself never refuses, so accounting stays exact. */
    void reserve(int bytes) {
        used += bytes;
        memory.charge(MemoryConsumer.REASSEMBLY, bytes + SEGMENT_OVERHEAD_BYTES);
    }

    void release(int bytes) {
        used -= bytes;
        memory.release(MemoryConsumer.REASSEMBLY, bytes + SEGMENT_OVERHEAD_BYTES);
    }
}
