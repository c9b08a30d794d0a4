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
    private final SecondSighting<NormalizedStatement> normalized = new SecondSighting<>();
    private final SecondSighting<List<String>> splits = new SecondSighting<>();

    public RecurringStatements(StatementNormalizer normalizer) {
        this.normalizer = normalizer;
    }

    @Override
    public NormalizedStatement normalize(String sql) {
        if (sql == null) {
            return normalizer.normalize(null);
        }
        NormalizedStatement n = normalized.get(sql);
        if (n == null) {
            n = normalizer.normalize(sql);
            normalized.offer(sql, n);
        }
        return n;
    }

    @Override
    public List<String> split(String sql) {
        if (sql == null) {
            return normalizer.split(null);
        }
        List<String> parts = splits.get(sql);
        if (parts == null) {
            parts = normalizer.split(sql);
            if (parts != null && splits.admits(sql)) {
                parts = List.copyOf(parts); // handed out again: nobody may change it
            }
            splits.offer(sql, parts);
        }
        return parts;
    }

    @Override
    public SqlDialect dialect() {
        return normalizer.dialect();
    }

    /**
     * {@value #SLOTS} direct-mapped slots of text → answer. A text is kept on its second sighting in its slot (the
     * first leaves its hash only); a hit compares the whole text.
     */
    private static final class SecondSighting<V> {
        private final String[] texts = new String[SLOTS];
        private final Object[] answers = new Object[SLOTS];
        private final int[] seen = new int[SLOTS];

        @SuppressWarnings("unchecked")
        V get(String sql) {
            int slot = slot(sql.hashCode());
            return sql.equals(texts[slot]) ? (V) answers[slot] : null;
        }

        /** Whether {@link #offer} would keep {@code sql} now. */
        boolean admits(String sql) {
            int hash = sql.hashCode();
            return seen[slot(hash)] == hash;
        }

        void offer(String sql, V answer) {
            int hash = sql.hashCode();
            int slot = slot(hash);
            if (seen[slot] == hash && answer != null) {
                texts[slot] = sql;
                answers[slot] = answer;
            } else {
                seen[slot] = hash;
            }
        }

        private static int slot(int hash) {
            return (hash ^ (hash >>> 16)) & (SLOTS - 1);
        }
    }
}
