package io.dbwire.core.tcp;

/**
 * Out-of-order bytes held across all flows of one tracker, against {@code TcpConfig.maxBufferedBytesTotal}.
 * Single-threaded like the tracker that owns it.
 */
final class BufferBudget {
    private final long limit;
    private long used;

    BufferBudget(long limit) {
        this.limit = limit;
    }

    long available() {
        return limit - used;
    }

    long used() {
        return used;
    }

    /** Callers check {@link #available()} first; the budget itself never refuses, so accounting stays exact. */
    void reserve(int bytes) {
        used += bytes;
    }

    void release(int bytes) {
        used -= bytes;
    }
}
