package io.dbwire.core.detect.baseline;

import io.dbwire.core.record.ErrorInfo;
import java.util.Locale;
import java.util.Set;

/**
 * What a probing error says about the statement that caused it, ranked by how typical it is of injection: a quote
 * in the wrong place gives a syntax error or invalid input; guessing the schema gives undefined columns and tables;
 * trying what the account may do gives permission errors; UNION probing gives column-count errors.
 * PostgreSQL SQLSTATEs: https://www.postgresql.org/docs/current/errcodes-appendix.html; MySQL:
 * https://dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html
 */
public enum ProbeErrorClass {
    /** 42601 syntax_error, MySQL 1064 ER_PARSE_ERROR. */
    SYNTAX(3),
    /** Class 22 data exception, e.g. 22P02 invalid text representation (a quote in a number). */
    INVALID_INPUT(3),
    /** MySQL 1222 different column counts, 1241 operand columns: UNION probing. */
    COLUMN_COUNT(3),
    /** 42703 undefined_column, 42P01 undefined_table, 42883 undefined_function; MySQL 1054, 1109, 1146. */
    UNDEFINED_OBJECT(2),
    /** 42501 insufficient_privilege; MySQL 1142 command denied, 1143 column denied. */
    PERMISSION(2),
    /** The rest of SQLSTATE class 42. */
    OTHER(1);

    private static final Set<String> UNDEFINED = Set.of("42703", "42P01", "42883", "42704", "1054", "1109", "1146");

    private final int weight;

    ProbeErrorClass(int weight) {
        this.weight = weight;
    }

    /** How typical of injection probing: 3 most, 1 least. */
    public int weight() {
        return weight;
    }

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The class of a probing error ({@link Metric#isProbeError}), or null for any other error. */
    public static ProbeErrorClass of(ErrorInfo e) {
        if (!Metric.isProbeError(e)) {
            return null;
        }
        String c = e.code().toUpperCase(Locale.ROOT);
        if (c.equals("42601") || c.equals("1064")) {
            return SYNTAX;
        }
        if (c.startsWith("22")) {
            return INVALID_INPUT;
        }
        if (c.equals("1222") || c.equals("1241")) {
            return COLUMN_COUNT;
        }
        if (UNDEFINED.contains(c)) {
            return UNDEFINED_OBJECT;
        }
        if (c.equals("42501") || c.equals("1142") || c.equals("1143")) {
            return PERMISSION;
        }
        return OTHER;
    }
}
