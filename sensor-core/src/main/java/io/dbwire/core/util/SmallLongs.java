package io.dbwire.core.util;

/**
 * Boxes the small non-negative longs that records carry by the hundred thousand (microseconds between request
 * and response, row counts) from a shared table, as {@link Long#valueOf} does only up to 127: a record's
 * {@code server_us} or {@code rows} then costs no allocation (issue 10).
 *
 * <p>Entries are made a chunk of {@value #CHUNK} consecutive values at a time, in order, on the first use of one
 * of them: made one by one they lay scattered over the heap, one cache line each, so looking one up and reading it
 * back when the record is encoded and observed were cache misses; made in order, neighbouring values share cache
 * lines (docs/performance.md, "Fifth round: the warm pipeline"). Chunks rather than the whole table at class load:
 * 2^16 boxes made by the interpreter cost tens of milliseconds of start-up. A race makes two equal Longs, which is
 * harmless because a Long is immutable and compared by value.
 */
public final class SmallLongs {
    /** 2^16 microseconds covers most server times; 256-512 KiB of references, entries made as used. */
    static final int SIZE = 1 << 16;
    /** Values made together: 16 KiB of Longs. */
    static final int CHUNK = 1 << 10;
    private static final Long[] TABLE = new Long[SIZE];

    private SmallLongs() {}

    public static Long valueOf(long v) {
        if (v < 0 || v >= SIZE) {
            return v;
        }
        Long boxed = TABLE[(int) v];
        return boxed != null ? boxed : fillChunkOf((int) v);
    }

    private static Long fillChunkOf(int v) {
        int start = v & -CHUNK;
        for (int i = start; i < start + CHUNK; i++) {
            if (TABLE[i] == null) {
                TABLE[i] = (long) i;
            }
        }
        return TABLE[v];
    }
}
