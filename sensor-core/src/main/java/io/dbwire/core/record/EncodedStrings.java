package io.dbwire.core.record;

import java.util.Arrays;

/**
 * The quoted, escaped UTF-8 form of strings that recur record after record — a prepared statement's text, its
 * fingerprint, the user, database, addresses — so that {@link RecordLine} copies bytes instead of escaping the same
 * characters again (escaping the statement text was a tenth of the pipeline thread, issue 10).
 *
 * <p>Direct-mapped by {@link String#hashCode()} (cached inside a String, so a prepared statement's text hashes
 * once). A string is kept only the second time its slot sees its hash, so one-off texts (literals in the SQL,
 * error messages) are encoded in place and never allocate; strings longer than {@link #MAX_CHARS} are never kept.
 * Bounded: {@link #SLOTS} entries of at most {@code 3 × MAX_CHARS + 2} bytes. Not thread-safe: one per
 * {@link RecordLine}.
 */
final class EncodedStrings {
    static final int SLOTS = 1024;
    static final int MAX_CHARS = 2048;

    private final String[] keys = new String[SLOTS];
    private final byte[][] values = new byte[SLOTS][];
    /** Per slot, the hash of the last string that missed there: the admission test for the next miss. */
    private final int[] lastMiss = new int[SLOTS];
    private final JsonBytes scratch = new JsonBytes(256);

    /** Writes {@code s} as {@link JsonBytes#string} would. */
    void write(JsonBytes out, String s) {
        if (s == null || s.length() > MAX_CHARS) {
            out.string(s);
            return;
        }
        int hash = s.hashCode();
        int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        String key = keys[slot];
        if (key == s || (key != null && key.equals(s))) {
            out.raw(values[slot]);
        } else if (lastMiss[slot] == hash) {
            scratch.reset();
            scratch.string(s);
            byte[] encoded = Arrays.copyOf(scratch.array(), scratch.length());
            keys[slot] = s;
            values[slot] = encoded;
            out.raw(encoded);
        } else {
            lastMiss[slot] = hash;
            out.string(s);
        }
    }
}
