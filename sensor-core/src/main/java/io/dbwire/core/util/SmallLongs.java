package io.dbwire.core.util;

/**
 * Boxes the small non-negative longs that records carry by the hundred thousand (microseconds between request
 * and response, row counts) from a shared table, as {@link Long#valueOf} does only up to 127: a record's
 * {@code server_us} or {@code rows} then costs no allocation (issue 10).
 *
 * <p>All entries are made at once, in order, when the class is loaded (1 MiB of Longs and 256 KiB of references):
 * made on first use they lay scattered over the heap, one cache line each, so looking one up and reading it back
 * when the record is encoded and observed were cache misses; made in order, the values a workload uses most (a few
 * hundred to a few thousand microseconds) share cache lines, about 5 % of the pipeline thread (docs/performance.md,
 * "Fifth round: the warm pipeline").
 */
public final class SmallLongs {
    /** 2^16 microseconds covers most server times. */
    static final int SIZE = 1 << 16;
    private static final Long[] TABLE = new Long[SIZE];

    static {
        for (int i = 0; i < SIZE; i++) {
            TABLE[i] = (long) i;
        }
    }

    private SmallLongs() {}

    public static Long valueOf(long v) {
        if (v < 0 || v >= SIZE) {
            return v;
        }
        return TABLE[(int) v];
    }
}
