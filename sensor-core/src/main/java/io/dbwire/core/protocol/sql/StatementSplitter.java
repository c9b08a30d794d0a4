package io.dbwire.core.protocol.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a multi-statement string on top-level semicolons, the way the server will count its results.
 *
 * <p>PostgreSQL: follows psql's {@code src/fe_utils/psqlscan.l}: a semicolon ends a statement only outside
 * parentheses and outside a {@code BEGIN ... END} body of a statement that starts
 * {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE} (SQL-standard bodies, {@code BEGIN ATOMIC ... END}); inside such a
 * body CASE also opens a level that END closes.
 *
 * <p>MySQL: a {@code CREATE ... PROCEDURE|FUNCTION|TRIGGER|EVENT} statement is one statement whose compound body
 * {@code BEGIN ... END} may hold semicolons. BEGIN and CASE open a level and END closes one, except that
 * {@code END IF|LOOP|WHILE|REPEAT} closes a construct whose opener was not counted (IF is also a function) and the
 * CASE of {@code END CASE} opens nothing.
 *
 * <p>Statements holding only comments are dropped, as the server's grammar drops them; a MySQL executable comment
 * {@code /*!..*}{@code /} is statement text, not a comment.
 */
final class StatementSplitter {

    private final boolean mysql;
    private final String sql;
    private final List<String> out = new ArrayList<>(2);

    private int statementStart;
    private boolean content;
    private int parenDepth;
    private int beginDepth;
    private int words;
    /** psql: first letters of the leading create/or/replace/function/procedure words, by position. */
    private final char[] lead = new char[4];
    private boolean mysqlCreate;
    private boolean mysqlRoutine;
    private boolean afterEnd;

    private StatementSplitter(SqlDialect dialect, String sql) {
        this.mysql = dialect == SqlDialect.MYSQL;
        this.sql = sql;
    }

    static List<String> split(SqlDialect dialect, String sql) {
        if (sql == null || sql.isEmpty()) {
            return new ArrayList<>(0);
        }
        return new StatementSplitter(dialect, sql).run();
    }

    private List<String> run() {
        SqlLexer lx = new SqlLexer(mysql ? SqlDialect.MYSQL : SqlDialect.POSTGRESQL, sql);
        while (lx.next()) {
            SqlTokenType type = lx.type();
            if (type == SqlTokenType.COMMENT) {
                // MySQL runs the body of /*!..*/ (mysqldump's "/*!40101 SET NAMES utf8 */;"), so it is a statement
                content |= mysql && sql.startsWith("/*!", lx.start());
                continue;
            }
            boolean wasAfterEnd = afterEnd;
            afterEnd = false;
            switch (type) {
                case LEFT_PAREN:
                    parenDepth++;
                    break;
                case RIGHT_PAREN:
                    parenDepth = Math.max(0, parenDepth - 1);
                    break;
                case SEMICOLON:
                    if (parenDepth == 0 && beginDepth == 0) {
                        endStatement(lx.start(), lx.end());
                        continue;
                    }
                    break;
                case WORD:
                    if (mysql) {
                        mysqlWord(lx, wasAfterEnd);
                    } else {
                        postgresWord(lx);
                    }
                    words++;
                    break;
                default:
                    break;
            }
            content = true;
        }
        if (content) {
            emit(statementStart, sql.length());
        }
        return out;
    }

    private void postgresWord(SqlLexer lx) {
        if (words < lead.length && (lx.is("create") || lx.is("function") || lx.is("procedure")
                || lx.is("or") || lx.is("replace"))) {
            lead[words] = Character.toLowerCase(sql.charAt(lx.start()));
        }
        boolean routine = lead[0] == 'c' && (lead[1] == 'f' || lead[1] == 'p'
                || (lead[1] == 'o' && lead[2] == 'r' && (lead[3] == 'f' || lead[3] == 'p')));
        if (!routine || parenDepth != 0) {
            return;
        }
        if (lx.is("begin")) {
            beginDepth++;
        } else if (lx.is("case")) {
            if (beginDepth >= 1) {
                beginDepth++; // CASE also ends with END; only matters inside a body
            }
        } else if (lx.is("end") && beginDepth > 0) {
            beginDepth--;
        }
    }

    private void mysqlWord(SqlLexer lx, boolean wasAfterEnd) {
        if (words == 0) {
            mysqlCreate = lx.is("CREATE");
            return;
        }
        if (!mysqlRoutine) {
            // CREATE [DEFINER = ..] [AGGREGATE] PROCEDURE|FUNCTION|TRIGGER|EVENT: the kind comes before any body
            mysqlRoutine = mysqlCreate
                    && (lx.is("PROCEDURE") || lx.is("FUNCTION") || lx.is("TRIGGER") || lx.is("EVENT"));
            return;
        }
        if (wasAfterEnd) {
            if (lx.is("IF") || lx.is("LOOP") || lx.is("WHILE") || lx.is("REPEAT")) {
                beginDepth++; // undo: this END closed an uncounted IF/LOOP/WHILE/REPEAT
                return;
            }
            if (lx.is("CASE")) {
                return; // END CASE: the closer's CASE opens nothing
            }
        }
        if (lx.is("BEGIN") || (lx.is("CASE") && beginDepth > 0)) {
            beginDepth++;
        } else if (lx.is("END") && beginDepth > 0) {
            beginDepth--;
            afterEnd = true;
        }
    }

    private void endStatement(int semicolonStart, int semicolonEnd) {
        if (content) {
            emit(statementStart, semicolonStart);
        }
        statementStart = semicolonEnd;
        content = false;
        parenDepth = 0;
        beginDepth = 0;
        words = 0;
        mysqlCreate = false;
        mysqlRoutine = false;
        afterEnd = false;
        lead[0] = lead[1] = lead[2] = lead[3] = 0;
    }

    private void emit(int from, int to) {
        while (from < to && sql.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && sql.charAt(to - 1) <= ' ') {
            to--;
        }
        if (from < to) {
            out.add(sql.substring(from, to));
        }
    }
}
