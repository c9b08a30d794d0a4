package io.dbwire.core.protocol.sql;

/**
 * The lexical rules a statement is read with.
 *
 * <ul>
 *   <li>{@link #POSTGRESQL}: <a href="https://www.postgresql.org/docs/current/sql-syntax-lexical.html">SQL syntax,
 *       lexical structure</a>, with {@code standard_conforming_strings = on} (the default since 9.1).</li>
 *   <li>{@link #MYSQL}: <a href="https://dev.mysql.com/doc/refman/8.0/en/language-structure.html">language
 *       structure</a> with the default {@code sql_mode} (no {@code ANSI_QUOTES}, no {@code NO_BACKSLASH_ESCAPES}),
 *       which MariaDB shares.</li>
 * </ul>
 */
public enum SqlDialect {
    POSTGRESQL,
    MYSQL
}
