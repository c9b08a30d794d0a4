package io.dbwire.core.memory;

/**
 * What one connection holds of its shard's {@link MemoryBudget}, per consumer, so that closing the connection
 * gives back everything it still holds in one step, whatever its parsers forgot to release. Same thread as the
 * budget. After {@link #close()} charges are refused and releases ignored.
 */
public final class MemoryAccount {
    /** Charges nothing: for sessions built outside a tracker (tests, tools). */
    public static final MemoryAccount NONE = new MemoryAccount(null);

    private final MemoryBudget budget;
    private final long[] held = new long[MemoryConsumer.ALL.length];
    private boolean closed;

    public MemoryAccount(MemoryBudget budget) {
        this.budget = budget;
        this.closed = budget == null;
    }

    /**
     * Charges {@code bytes} to {@code consumer} if the budget has room; otherwise counts {@code reasonIfRefused}
     * and returns false. Always true for {@link #NONE}.
     */
    public boolean tryGrow(MemoryConsumer consumer, long bytes, ShedReason reasonIfRefused) {
        if (closed) {
            return budget == null;
        }
        if (!budget.tryReserve(consumer, bytes)) {
            budget.shed(reasonIfRefused);
            return false;
        }
        held[consumer.ordinal()] += bytes;
        return true;
    }

    /** Charges {@code bytes} without a check (state the connection has already). */
    public void grow(MemoryConsumer consumer, long bytes) {
        if (!closed) {
            budget.charge(consumer, bytes);
            held[consumer.ordinal()] += bytes;
        }
    }

    /** Gives back up to {@code bytes} of what {@code consumer} holds through this account. */
    public void shrink(MemoryConsumer consumer, long bytes) {
        if (closed) {
            return;
        }
        long n = Math.min(bytes, held[consumer.ordinal()]);
        held[consumer.ordinal()] -= n;
        budget.release(consumer, n);
    }

    public long held(MemoryConsumer consumer) {
        return held[consumer.ordinal()];
    }

    /** Counts a shed item against the budget (no-op for {@link #NONE}). */
    public void shed(ShedReason reason) {
        if (budget != null) {
            budget.shed(reason);
        }
    }

    /** The connection is gone: everything still held goes back to the budget. */
    public void close() {
        if (closed) {
            return;
        }
        for (MemoryConsumer c : MemoryConsumer.ALL) {
            budget.release(c, held[c.ordinal()]);
            held[c.ordinal()] = 0;
        }
        closed = true;
    }
}
