package io.dbwire.core.protocol.postgres;

/**
 * The short ASCII strings PostgreSQL messages repeat — statement and portal names, command tags — last read by
 * any connection of one engine (one shard thread), so a prepared statement's Bind/Execute/CommandComplete make no
 * new String. Shared rather than per connection: pooled connections of one application use the same names and
 * tags, and a table per connection cost every live connection 272 B. Single-threaded, like the sessions.
 *
 * <p>A second table holds the simple Query texts last read (ASCII, at most {@link #MAX_TEXT_CHARS}), so a Query
 * that recurs — {@code BEGIN}, {@code COMMIT}, an application's fixed statements — decodes no new String. It
 * holds at most 128 texts of 1 024 characters (about 128 KiB per engine, whatever the traffic).
 *
 * <p>Both are two-way set-associative: a miss moves the set's newer string to the second way, so two strings
 * whose hashes meet do not evict each other on every message.
 */
public final class PgRecentStrings {
    /** 128 sets of two: the names and tags of several applications' workloads rarely push each other out. */
    private static final int SLOTS = 256;
    /** 64 sets of two Query texts. */
    private static final int TEXT_SLOTS = 128;
    /** Longest Query text kept: a longer one is decoded each time (and rarely recurs byte for byte). */
    static final int MAX_TEXT_CHARS = 1024;

    /**
     * The engine's spare simple-Query entries: not strings, but shared by the same sessions on the same thread,
     * so they travel with this table rather than through another parameter of every session.
     */
    private final PgSpareQueries spareQueries = new PgSpareQueries();

    /** Made on first use: an engine that never reads a recurring string holds no table. */
    private String[] recent;
    /** Made with the first simple Query: an engine that sees only prepared statements holds none. */
    private String[] texts;

    /** The set's first slot for an ASCII string of hash {@code h} in a table of {@code slots} (a power of two). */
    static int firstSlot(int h, int slots) {
        int setShift = 33 - Integer.numberOfTrailingZeros(slots); // 32 - log2(slots / 2)
        return ((h * 0x9E3779B9) >>> setShift) << 1;
    }

    String[] table() {
        if (recent == null) {
            recent = new String[SLOTS];
        }
        return recent;
    }

    String[] texts() {
        if (texts == null) {
            texts = new String[TEXT_SLOTS];
        }
        return texts;
    }

    PgSpareQueries spareQueries() {
        return spareQueries;
    }
}
