package io.dbwire.core.protocol.postgres;

/**
 * The short ASCII strings PostgreSQL messages repeat — statement and portal names, command tags — last read by
 * any connection of one engine (one shard thread), so a prepared statement's Bind/Execute/CommandComplete make no
 * new String. Shared rather than per connection: pooled connections of one application use the same names and
 * tags, and a table per connection cost every live connection 272 B. Single-threaded, like the sessions.
 *
 * <p>Two-way set-associative: a miss moves the set's newer string to the second way, so two strings whose hashes
 * meet do not evict each other on every message.
 */
public final class PgRecentStrings {
    /** 128 sets of two: the names and tags of several applications' workloads rarely push each other out. */
    private static final int SLOTS = 256;
    private static final int SET_SHIFT = 25; // 32 - log2(SLOTS / 2)

    /** Made on first use: an engine that never reads a recurring string holds no table. */
    private String[] recent;

    /** The set's first slot for an ASCII string of hash {@code h}. */
    static int firstSlot(int h) {
        return ((h * 0x9E3779B9) >>> SET_SHIFT) << 1;
    }

    String[] table() {
        if (recent == null) {
            recent = new String[SLOTS];
        }
        return recent;
    }
}
