package io.dbwire.core.protocol.sql;

import java.util.List;

/** Dialect-aware SQL text handling shared by the protocol parsers. Implementations are stateless and thread-safe. */
public interface StatementNormalizer {

    NormalizedStatement normalize(String sql);

    /**
     * Splits a multi-statement string (a PostgreSQL simple Query, a MySQL multi-statement COM_QUERY) into its
     * statements, in order, on top-level semicolons only (not inside quotes, comments or dollar-quoted bodies).
     * Empty statements are dropped; each element keeps its own text, trimmed.
     */
    List<String> split(String sql);

    /** The lexical rules statements are read with (comments, quoting). */
    default SqlDialect dialect() {
        return SqlDialect.POSTGRESQL;
    }
}
