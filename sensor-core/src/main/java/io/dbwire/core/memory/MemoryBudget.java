package io.dbwire.core.memory;

import io.dbwire.core.util.ReasonCounters;

/**
 * The bytes one engine thread's bounded state may take, and what each {@link MemoryConsumer} holds of it. Every
 * table and buffer that grows with the input charges its bytes here (estimates of the heap it pins, see
 * docs/operations.md) and releases them when it lets go, so one total bounds them all.
 *
 * <p>Two ways to draw: {@link #tryReserve} refuses what would pass the limit (the caller then keeps less and
 * counts a {@link ShedReason}); {@link #charge} always succeeds, for state that exists already. Above
 * {@link #HIGH_MARK} of the limit the owner, at the next packet boundary, trims its connections' parsers (least
 * recently active first) and, only if that is not enough, sheds its least recently active flows until the total
 * is under {@link #LOW_MARK} ({@link #overHighMark()}, {@link #underLowMark()}), so a refusal is the exception and
 * idle state goes before the state of active connections.
 *
 * <p>Single-threaded: one budget per shard thread (a slice of the configured total), plain fields, no allocation.
 * Other threads may read the figures for metrics; they may lag, like {@link ReasonCounters}.
 */
public final class MemoryBudget {
    /** Above this share of the limit, idle state is shed at the next packet boundary. */
    public static final double HIGH_MARK = 0.9;
    /** Shedding stops below this share, so it does not run again at every packet. */
    public static final double LOW_MARK = 0.8;

    private final long limit;
    private final long highMark;
    private final long lowMark;
    private final long[] inUse = new long[MemoryConsumer.ALL.length];
    private final long[] highWater = new long[MemoryConsumer.ALL.length];
    /** Per consumer, the most it may hold (the whole limit unless {@link #cap}ped). */
    private final long[] caps = new long[MemoryConsumer.ALL.length];
    private final ReasonCounters<ShedReason> shed = new ReasonCounters<>(ShedReason.class);
    private long total;
    private long totalHighWater;

    public MemoryBudget(long limitBytes) {
        if (limitBytes <= 0) {
            throw new IllegalArgumentException("limitBytes: " + limitBytes + " (expected: > 0)");
        }
        this.limit = limitBytes;
        this.highMark = (long) (limitBytes * HIGH_MARK);
        this.lowMark = (long) (limitBytes * LOW_MARK);
        java.util.Arrays.fill(caps, limitBytes);
    }

    /**
     * Lets {@code consumer} hold at most {@code share} of the limit: state that is not shed with the flows
     * (fragments, detection entities) must not crowd them out, or shedding flows could never bring the total down.
     */
    public MemoryBudget cap(MemoryConsumer consumer, double share) {
        caps[consumer.ordinal()] = Math.max(1, (long) (limit * share));
        return this;
    }

    /** Bytes {@code consumer} may still reserve: within the limit and within its cap. */
    public long room(MemoryConsumer consumer) {
        return Math.min(limit - total, caps[consumer.ordinal()] - inUse[consumer.ordinal()]);
    }

    /** A budget of {@code limitBytes}; 0 means {@link #unlimited()}. */
    public static MemoryBudget of(long limitBytes) {
        return limitBytes > 0 ? new MemoryBudget(limitBytes) : unlimited();
    }

    /** Accounts everything and refuses nothing: for tests and tools that run without a configured budget. */
    public static MemoryBudget unlimited() {
        return new MemoryBudget(Long.MAX_VALUE);
    }

    /** Charges {@code bytes} to {@code consumer} if the total stays within the limit; false (nothing charged) if not. */
    public boolean tryReserve(MemoryConsumer consumer, long bytes) {
        if (bytes > room(consumer)) {
            return false;
        }
        charge(consumer, bytes);
        return true;
    }

    /** Charges {@code bytes} even past the limit (state that exists already); shedding brings the total back. */
    public void charge(MemoryConsumer consumer, long bytes) {
        int i = consumer.ordinal();
        long used = inUse[i] + bytes;
        inUse[i] = used;
        if (used > highWater[i]) {
            highWater[i] = used;
        }
        total += bytes;
        if (total > totalHighWater) {
            totalHighWater = total;
        }
    }

    public void release(MemoryConsumer consumer, long bytes) {
        inUse[consumer.ordinal()] -= bytes;
        total -= bytes;
    }

    /** Counts one item given up to stay within the budget. */
    public void shed(ShedReason reason) {
        shed.increment(reason);
    }

    public boolean overHighMark() {
        return total > highMark;
    }

    public boolean underLowMark() {
        return total < lowMark;
    }

    /** Bytes that may still be reserved (negative while over the limit). */
    public long available() {
        return limit - total;
    }

    public long limit() {
        return limit;
    }

    public long total() {
        return total;
    }

    public long totalHighWater() {
        return totalHighWater;
    }

    public long inUse(MemoryConsumer consumer) {
        return inUse[consumer.ordinal()];
    }

    public long highWater(MemoryConsumer consumer) {
        return highWater[consumer.ordinal()];
    }

    /** Items shed, by reason ({@code memory.*} problems). */
    public ReasonCounters<ShedReason> shedCounts() {
        return shed;
    }

    /** A copy of the figures, for metrics and summaries (may lag when read from another thread). */
    public MemoryReport report() {
        return MemoryReport.of(this);
    }
}
