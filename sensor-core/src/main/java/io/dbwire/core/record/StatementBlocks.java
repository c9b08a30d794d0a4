package io.dbwire.core.record;

/**
 * The encoded statement block of statements that recur — a prepared statement's text, fingerprint and
 * operation, record after record — so that {@link RecordLine} copies it instead of writing its fields again
 * (issue 10). A kept block stands for equal text, fingerprint, operation and reason the text is unknown (Strings,
 * compared by value) and the very same attribution object (immutable).
 *
 * <p>Direct-mapped by the text's hash (cached inside a String). As in {@link EncodedStrings}, a block is kept
 * only the second time its slot sees its hash, so statements with literals in their text never take a slot.
 * Bounded: {@link #SLOTS} slots of at most {@link #MAX_BYTES}. Not thread-safe: one per {@link RecordLine}.
 */
final class StatementBlocks {
    static final int SLOTS = 256;
    static final int MAX_BYTES = 4096;

    private final String[] texts = new String[SLOTS];
    private final String[] fingerprints = new String[SLOTS];
    private final String[] operations = new String[SLOTS];
    private final String[] textUnknowns = new String[SLOTS];
    private final StatementAttribution[] attributions = new StatementAttribution[SLOTS];
    /** Whether the slot holds a block: a kept statement may have every field null. */
    private final boolean[] used = new boolean[SLOTS];
    /** Per slot, the hash of the last statement that missed there: the admission test for the next miss. */
    private final int[] lastMiss = new int[SLOTS];
    private final EncodedBlocks blocks = new EncodedBlocks(SLOTS, MAX_BYTES);

    static int hash(StatementInfo s) {
        String key = s.text() != null ? s.text() : s.fingerprint();
        return key == null ? 0 : key.hashCode();
    }

    static int slot(int hash) {
        return (hash ^ (hash >>> 16)) & (SLOTS - 1);
    }

    /** Writes the block kept for {@code s}; false when the slot holds none for it. */
    boolean writeKept(JsonBytes out, StatementInfo s, int slot) {
        if (used[slot] && attributions[slot] == s.attribution() && same(texts[slot], s.text())
                && same(fingerprints[slot], s.fingerprint()) && same(operations[slot], s.operation())
                && same(textUnknowns[slot], s.textUnknown())) {
            blocks.writeTo(out, slot);
            return true;
        }
        return false;
    }

    /** Whether a statement that missed should be kept: the slot saw its hash at the miss before. */
    boolean admit(int slot, int hash) {
        if (lastMiss[slot] == hash) {
            return true;
        }
        lastMiss[slot] = hash;
        return false;
    }

    /** Keeps {@code src[from, to)}, just written for {@code s}, as its block. */
    void keep(StatementInfo s, int slot, byte[] src, int from, int to) {
        used[slot] = blocks.keep(slot, src, from, to);
        texts[slot] = used[slot] ? s.text() : null;
        fingerprints[slot] = used[slot] ? s.fingerprint() : null;
        operations[slot] = used[slot] ? s.operation() : null;
        textUnknowns[slot] = used[slot] ? s.textUnknown() : null;
        attributions[slot] = used[slot] ? s.attribution() : null;
    }

    private static boolean same(String kept, String s) {
        return kept == s || (kept != null && kept.equals(s));
    }
}
