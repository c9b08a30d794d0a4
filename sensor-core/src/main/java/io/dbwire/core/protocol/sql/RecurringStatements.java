package io.dbwire.core.protocol.sql;

import java.util.List;

/**
 * A normaliser that remembers its answers for texts that recur: a simple-protocol query or a MySQL COM_QUERY sent
 * again with the same text (BEGIN, COMMIT, health checks, statements without literals) is lexed, fingerprinted and
 * split once instead of every time — about 1.4 KB of allocation per statement (issue 10). Texts with literals
 * differ every time and are never kept: a text is admitted on its second sighting in a slot (the first leaves its
 * hash only), as the record encoder's string cache does. {@value #SLOTS} direct-mapped slots each for split and
 * normalise; a hit compares the whole text, so an answer is always the wrapped normaliser's own for that text.
 *
 * <p>Not thread-safe, unlike the normaliser it wraps: one per engine (the dispatcher's thread).
 */
public final class RecurringStatements implements StatementNormalizer {
    static final int SLOTS = 256;

    private final StatementNormalizer normalizer;
    private final String[] normalizedTexts = new String[SLOTS];
    private final NormalizedStatement[] normalized = new NormalizedStatement[SLOTS];
    private final int[] normalizeSeen = new int[SLOTS];
    private final String[] splitTexts = new String[SLOTS];
    @SuppressWarnings("unchecked")
    private final List<String>[] splits = new List[SLOTS];
    private final int[] splitSeen = new int[SLOTS];

    public RecurringStatements(StatementNormalizer normalizer) {
        this.normalizer = normalizer;
    }

    @Override
    public NormalizedStatement normalize(String sql) {
        if (sql == null) {
            return normalizer.normalize(null);
        }
        int hash = sql.hashCode();
        int slot = slot(hash);
        if (sql.equals(normalizedTexts[slot])) {
            return normalized[slot];
        }
        NormalizedStatement n = normalizer.normalize(sql);
        if (normalizeSeen[slot] == hash && n != null) {
            normalizedTexts[slot] = sql;
            normalized[slot] = n;
        } else {
            normalizeSeen[slot] = hash;
        }
        return n;
    }

    @Override
    public List<String> split(String sql) {
        if (sql == null) {
            return normalizer.split(null);
        }
        int hash = sql.hashCode();
        int slot = slot(hash);
        if (sql.equals(splitTexts[slot])) {
            return splits[slot];
        }
        List<String> parts = normalizer.split(sql);
        if (splitSeen[slot] == hash && parts != null) {
            parts = List.copyOf(parts); // handed out again: nobody may change it
            splitTexts[slot] = sql;
            splits[slot] = parts;
        } else {
            splitSeen[slot] = hash;
        }
        return parts;
    }

    @Override
    public SqlDialect dialect() {
        return normalizer.dialect();
    }

    private static int slot(int hash) {
        return (hash ^ (hash >>> 16)) & (SLOTS - 1);
    }
}
