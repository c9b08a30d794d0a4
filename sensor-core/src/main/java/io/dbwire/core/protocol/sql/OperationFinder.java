package io.dbwire.core.protocol.sql;

import static io.dbwire.core.protocol.sql.TokenBuffer.COMMA;
import static io.dbwire.core.protocol.sql.TokenBuffer.IDENTIFIER;
import static io.dbwire.core.protocol.sql.TokenBuffer.KEYWORD;
import static io.dbwire.core.protocol.sql.TokenBuffer.LEFT_PAREN;
import static io.dbwire.core.protocol.sql.TokenBuffer.RIGHT_PAREN;
import static io.dbwire.core.protocol.sql.TokenBuffer.SEMICOLON;

/**
 * The statement's verb from its normalised tokens (comments already gone): leading parentheses and semicolons are
 * skipped, {@code WITH} looks past its common table expressions to the main statement, {@code START TRANSACTION} is
 * BEGIN, and PostgreSQL's synonyms map as its command tags do (END is COMMIT, ABORT is ROLLBACK, VALUES and TABLE
 * are SELECT).
 */
final class OperationFinder {

    static final String UNKNOWN = "UNKNOWN";

    private OperationFinder() {}

    static String find(TokenBuffer t) {
        int i = 0;
        while (i < t.size && (t.kind[i] == LEFT_PAREN || t.kind[i] == SEMICOLON)) {
            i++;
        }
        if (i >= t.size || !isWord(t, i)) {
            return UNKNOWN;
        }
        if (t.isWord(i, "WITH")) {
            return afterCommonTableExpressions(t, i + 1);
        }
        if (t.isWord(i, "START")) {
            return i + 1 < t.size && t.isWord(i + 1, "TRANSACTION") ? "BEGIN" : "START";
        }
        String verb = SqlKeywords.VERB.get(t.src, t.start[i], t.end[i]);
        return verb != null ? verb : UNKNOWN;
    }

    /**
     * {@code WITH [RECURSIVE] name [(cols)] AS [[NOT] MATERIALIZED] (query) [SEARCH ..] [CYCLE ..], .. verb}: skips
     * each name token, then looks for the first main-statement verb outside parentheses; a comma there starts the
     * next expression.
     */
    private static String afterCommonTableExpressions(TokenBuffer t, int i) {
        if (i < t.size && t.isWord(i, "RECURSIVE")) {
            i++;
        }
        int depth = 0;
        boolean expectName = true;
        for (; i < t.size; i++) {
            byte k = t.kind[i];
            if (expectName) {
                expectName = false; // a CTE may be named like a verb ("update"); its name is never the verb
                continue;
            }
            if (k == LEFT_PAREN) {
                depth++;
            } else if (k == RIGHT_PAREN) {
                depth = Math.max(0, depth - 1);
            } else if (depth == 0 && k == COMMA) {
                expectName = true;
            } else if (depth == 0 && k == SEMICOLON) {
                break;
            } else if (depth == 0 && isWord(t, i)) {
                String verb = SqlKeywords.WITH_MAIN_VERB.get(t.src, t.start[i], t.end[i]);
                if (verb != null) {
                    return verb;
                }
            }
        }
        return UNKNOWN;
    }

    private static boolean isWord(TokenBuffer t, int i) {
        return t.kind[i] == KEYWORD || t.kind[i] == IDENTIFIER;
    }
}
