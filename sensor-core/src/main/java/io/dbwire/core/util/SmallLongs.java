package io.dbwire.core.util;

/**
 * Boxes the small non-negative longs that records carry by the hundred thousand (microseconds between request
 * and response, row counts) from a shared table, as {@link Long#valueOf} does only up to 127: a record's
 * {@code server_us} or {@code rows} then costs no allocation (issue 10). Entries are made on first use; a race
 * makes two equal Longs, which is harmless because a Long is immutable and compared by value.
 */
public final class SmallLongs {
    /** 2^16 microseconds covers most server times; 256-512 KiB of references, entries made as used. */
    static final int SIZE = 1 << 16;
    private static final Long[] TABLE = new Long[SIZE];

    private SmallLongs() {}

    public static Long valueOf(long v) {
        if (v < 0 || v >= SIZE) {
            return v;
        }
        Long boxed = TABLE[(int) v];
        if (boxed == null) {
            boxed = v;
            TABLE[(int) v] = boxed;
        }
        return boxed;
    }
}
