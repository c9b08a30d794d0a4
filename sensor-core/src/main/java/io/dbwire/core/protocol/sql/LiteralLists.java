package io.dbwire.core.protocol.sql;

import static io.dbwire.core.protocol.sql.TokenBuffer.COMMA;
import static io.dbwire.core.protocol.sql.TokenBuffer.IDENTIFIER;
import static io.dbwire.core.protocol.sql.TokenBuffer.KEYWORD;
import static io.dbwire.core.protocol.sql.TokenBuffer.LEFT_BRACKET;
import static io.dbwire.core.protocol.sql.TokenBuffer.LEFT_PAREN;
import static io.dbwire.core.protocol.sql.TokenBuffer.LITERAL;
import static io.dbwire.core.protocol.sql.TokenBuffer.PARAMETER;
import static io.dbwire.core.protocol.sql.TokenBuffer.RIGHT_BRACKET;
import static io.dbwire.core.protocol.sql.TokenBuffer.RIGHT_PAREN;
import static io.dbwire.core.protocol.sql.TokenBuffer.TYPECAST;

/**
 * Folds lists whose length is data, not structure, so one query shape has one fingerprint whatever the number of
 * values: {@code IN (1, 2, 3)} and {@code IN ($1, $2)} become {@code IN (?)}, {@code ARRAY[1, 2]} becomes
 * {@code ARRAY[?]}, and a multi-row {@code VALUES (..), (..)} of plain values keeps its first row only.
 * Works in place over the buffer: every fold only shortens it.
 */
final class LiteralLists {

    private LiteralLists() {}

    static void fold(TokenBuffer t) {
        int w = 0;
        int r = 0;
        while (r < t.size) {
            int matched;
            if (r + 1 < t.size && t.isWord(r, "IN") && t.kind[r + 1] == LEFT_PAREN
                    && (matched = valueList(t, r + 2, RIGHT_PAREN)) > 0) {
                w = writeFolded(t, r, w, RIGHT_PAREN);
                r = matched;
            } else if (r + 1 < t.size && t.isWord(r, "ARRAY") && t.kind[r + 1] == LEFT_BRACKET
                    && (matched = valueList(t, r + 2, RIGHT_BRACKET)) > 0) {
                w = writeFolded(t, r, w, RIGHT_BRACKET);
                r = matched;
            } else if ((t.isWord(r, "VALUES") || t.isWord(r, "VALUE")) && (matched = rows(t, r + 1)) > 0) {
                // Keep VALUES and the first row as they are, drop ", (..)" for every further row.
                int firstRowEnd = tupleEnd(t, r + 1);
                for (int i = r; i < firstRowEnd; i++) {
                    t.move(i, w++);
                }
                r = matched;
            } else {
                t.move(r++, w++);
            }
        }
        t.size = w;
    }

    /** Writes {@code word ( ?  )} (or brackets) for the word at r; returns the new write index. */
    private static int writeFolded(TokenBuffer t, int r, int w, byte close) {
        t.move(r, w++);
        t.move(r + 1, w++);
        t.set(w, LITERAL, 0, 0);
        t.gap[w++] = false;
        t.set(w, close, 0, 0);
        t.gap[w++] = false;
        return w;
    }

    /** {@code value (, value)* close} from i: the index after close, or -1. */
    private static int valueList(TokenBuffer t, int i, byte close) {
        while (i < t.size && (t.isLiteral(i) || t.kind[i] == PARAMETER)) {
            i++;
            if (i >= t.size) {
                return -1;
            }
            if (t.kind[i] == close) {
                return i + 1;
            }
            if (t.kind[i] != COMMA) {
                return -1;
            }
            i++;
        }
        return -1;
    }

    /** Two or more plain rows {@code (..), (..)} from i: the index after the last, or -1. */
    private static int rows(TokenBuffer t, int i) {
        int rows = 0;
        int after = -1;
        while (true) {
            int e = tupleEnd(t, i);
            if (e < 0) {
                return -1; // one row that is not plain spoils the fold for all: the statement keeps its shape
            }
            rows++;
            after = e;
            if (e + 1 < t.size && t.kind[e] == COMMA && t.kind[e + 1] == LEFT_PAREN) {
                i = e + 1;
            } else {
                return rows >= 2 ? after : -1;
            }
        }
    }

    /** A row of plain values {@code (v, v, ..)} starting at i: the index after its ')', or -1. */
    private static int tupleEnd(TokenBuffer t, int i) {
        if (i >= t.size || t.kind[i] != LEFT_PAREN) {
            return -1;
        }
        i++;
        while (i < t.size) {
            if (!plainValue(t, i)) {
                return -1;
            }
            i++;
            while (i + 1 < t.size && t.kind[i] == TYPECAST
                    && (t.kind[i + 1] == IDENTIFIER || t.kind[i + 1] == KEYWORD)) {
                i += 2; // $1::int4, '..'::jsonb
            }
            if (i >= t.size) {
                return -1;
            }
            if (t.kind[i] == RIGHT_PAREN) {
                return i + 1;
            }
            if (t.kind[i] != COMMA) {
                return -1;
            }
            i++;
        }
        return -1;
    }

    private static boolean plainValue(TokenBuffer t, int i) {
        return t.isLiteral(i) || t.kind[i] == PARAMETER
                || t.isWord(i, "NULL") || t.isWord(i, "DEFAULT") || t.isWord(i, "TRUE") || t.isWord(i, "FALSE");
    }
}
