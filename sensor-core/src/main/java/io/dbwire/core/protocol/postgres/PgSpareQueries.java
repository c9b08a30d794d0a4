package io.dbwire.core.protocol.postgres;

import io.dbwire.core.protocol.postgres.PgInFlight.Entry;

/**
 * Spare in-flight entries of one-statement simple Queries, each with its runs list and its run, shared by the
 * sessions of one engine (one shard thread, like {@link PgRecentStrings}): a Query answered in step gives its entry
 * back, the next Query on any connection of the engine takes it. Shared rather than per connection so that a
 * connection between two Queries holds nothing more (a spare per connection cost each live one about 220 B).
 */
final class PgSpareQueries {
    /** More than the Queries one engine usually has in flight at once; beyond it entries are left to the GC. */
    private static final int MAX_SPARES = 16;

    /** Made with the first entry given back: an engine that sees no simple Query holds none. */
    private Entry[] spare;
    private int spares;

    /** A spare entry, or null when there is none. */
    Entry take() {
        if (spares == 0) {
            return null;
        }
        Entry e = spare[--spares];
        spare[spares] = null;
        return e;
    }

    /** {@code e} and its run are referred to by nothing else any more. */
    void give(Entry e) {
        if (spare == null) {
            spare = new Entry[MAX_SPARES];
        }
        if (spares < MAX_SPARES) {
            spare[spares++] = e;
        }
    }
}
