package io.dbwire.core.protocol.postgres;

import java.nio.charset.StandardCharsets;

/**
 * Bind parameters as SQL literals, put into the statement text in place of {@code $n} — only when the
 * configuration asks for them ({@code bindParameters}, off by default). The result then goes through the
 * statement mode like any literal: NORMALIZED turns every value back into {@code ?}, FULL shows it.
 *
 * <p>Bind body after the portal and statement names (protocol-message-formats.html, Bind):
 * <pre>
 * int16 C, int16[C] format codes (0 text, 1 binary; C = 0: all text, C = 1: one code for all)
 * int16 N, N x (int32 length, -1 = NULL | bytes), int16 R, int16[R] result format codes
 * </pre>
 * Only text-format values are rendered ({@code 'value'} with quotes doubled, or NULL). A binary value, a
 * value longer than {@code maxValueChars} or one cut off by the kept prefix of the message stays {@code $n}:
 * its type is not known here and a partial value would be a guess.
 */
final class BindParameters {
    private static final int BINARY = 1;

    private BindParameters() {}

    /**
     * Reads the parameters after the two names; returns one literal per parameter (null: leave its {@code $n}),
     * or null when the body does not hold even the counts.
     */
    static String[] literals(PgReader r, int maxValueChars) {
        int formatCount = r.int16();
        if (r.failed() || formatCount > r.remaining() / 2) {
            return null;
        }
        int[] formats = new int[formatCount];
        for (int i = 0; i < formatCount; i++) {
            formats[i] = r.int16();
        }
        int count = r.int16();
        if (r.failed() || (formatCount > 1 && formatCount != count)) {
            return null;
        }
        // Every value takes at least its 4-byte length: parameters beyond the kept bytes stay $n.
        String[] out = new String[Math.min(count, r.remaining() / 4)];
        for (int i = 0; i < out.length; i++) {
            int length = r.int32();
            if (r.failed()) {
                break; // the kept prefix ended: the rest stay $n
            }
            if (length == -1) {
                out[i] = "NULL";
                continue;
            }
            if (length < 0 || length > r.remaining()) {
                break;
            }
            int format = formatCount == 0 ? 0 : formats[formatCount == 1 ? 0 : i];
            byte[] value = r.bytes(length);
            if (format != BINARY && length <= maxValueChars) {
                out[i] = quote(new String(value, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** A standard-conforming string literal: quotes doubled, backslashes literal. */
    static String quote(String v) {
        return "'" + v.replace("'", "''") + "'";
    }

    /**
     * Replaces each {@code $n} outside strings, quoted identifiers, comments and dollar-quoted bodies by its
     * literal (when it has one).
     */
    static String substitute(String sql, String[] literals) {
        StringBuilder out = new StringBuilder(sql.length() + 16);
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            int end;
            if (c == '\'') {
                boolean escapes = i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
                        && (i < 2 || !identifierChar(sql.charAt(i - 2)));
                end = skipQuoted(sql, i, '\'', escapes);
            } else if (c == '"') {
                end = skipQuoted(sql, i, '"', false);
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int nl = sql.indexOf('\n', i);
                end = nl < 0 ? n : nl;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                end = skipBlockComment(sql, i);
            } else if (c == '$' && (i == 0 || !identifierChar(sql.charAt(i - 1)))) {
                int j = i + 1;
                while (j < n && Character.isDigit(sql.charAt(j))) {
                    j++;
                }
                if (j > i + 1) { // $n: a parameter
                    int index = parseIndex(sql, i + 1, j);
                    if (index >= 1 && index <= literals.length && literals[index - 1] != null) {
                        out.append(literals[index - 1]);
                    } else {
                        out.append(sql, i, j);
                    }
                    i = j;
                    continue;
                }
                end = skipDollarQuoted(sql, i);
            } else {
                end = i + 1;
            }
            out.append(sql, i, end);
            i = end;
        }
        return out.toString();
    }

    private static boolean identifierChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static int parseIndex(String s, int from, int to) {
        if (to - from > 5) {
            return -1; // above the protocol's 65535 parameters
        }
        return Integer.parseInt(s, from, to, 10);
    }

    /** End (exclusive) of a quoted token starting at {@code i}; doubled quotes and, in E'' strings, \x. */
    private static int skipQuoted(String s, int i, char quote, boolean backslashEscapes) {
        int j = i + 1;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (backslashEscapes && c == '\\') {
                j += 2;
                continue;
            }
            if (c == quote) {
                if (j + 1 < s.length() && s.charAt(j + 1) == quote) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j++;
        }
        return s.length();
    }

    /** Block comments nest in PostgreSQL. */
    private static int skipBlockComment(String s, int i) {
        int depth = 0;
        int j = i;
        while (j < s.length()) {
            if (s.startsWith("/*", j)) {
                depth++;
                j += 2;
            } else if (s.startsWith("*/", j)) {
                depth--;
                j += 2;
                if (depth == 0) {
                    return j;
                }
            } else {
                j++;
            }
        }
        return s.length();
    }

    /** {@code $tag$ ... $tag$}; a lone {@code $} that opens no tag is one character. */
    private static int skipDollarQuoted(String s, int i) {
        int j = i + 1;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
            j++;
        }
        if (j >= s.length() || s.charAt(j) != '$') {
            return i + 1;
        }
        String tag = s.substring(i, j + 1);
        int close = s.indexOf(tag, j + 1);
        return close < 0 ? s.length() : close + tag.length();
    }
}
