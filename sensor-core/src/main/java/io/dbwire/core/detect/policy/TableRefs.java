package io.dbwire.core.detect.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The tables a statement reads and the column-like words it names, from its (normalised) text: names after
 * {@code FROM} and {@code JOIN} (comma lists and aliases included), {@code COPY t} and {@code TABLE t}. A small
 * scanner, not a SQL parser: quoted literals are skipped, quoted identifiers unquoted, all names lower-cased.
 * Sub-queries are read like any other text, so their tables count too.
 */
final class TableRefs {
    /** Words that end a FROM list entry instead of being its alias. */
    private static final Set<String> STOP = Set.of("where", "join", "left", "right", "inner", "outer", "full",
            "cross", "on", "group", "order", "limit", "union", "having", "window", "for", "natural", "using",
            "offset", "fetch", "into", "to", "with", "returning", "lateral", "as", "except", "intersect", "select",
            "straight_join", "partition", "lock", "set", "values");

    final List<String> tables = new ArrayList<>();
    final Set<String> words = new HashSet<>();
    boolean star;

    private final List<String> tokens = new ArrayList<>();

    static TableRefs of(String text) {
        TableRefs refs = new TableRefs();
        if (text != null) {
            refs.scan(text);
            refs.collectTables();
        }
        return refs;
    }

    private void scan(String s) {
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\'' ) {
                i = skipQuoted(s, i, '\'');
            } else if (c == '"' || c == '`') {
                int end = skipQuoted(s, i, c);
                // compared without regard to case, like the policy's names
                name(s.substring(i + 1, Math.max(i + 1, end - 1)).replace("" + c + c, "" + c).toLowerCase(Locale.ROOT));
                i = end;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i + 1;
                while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_' || s.charAt(j) == '$')) {
                    j++;
                }
                name(s.substring(i, j).toLowerCase(Locale.ROOT));
                i = j;
            } else if (c == '.' || c == ',' || c == '(' || c == ')' || c == '*') {
                star |= c == '*' && selectsAll();
                tokens.add(String.valueOf(c));
                i++;
            } else {
                if (!Character.isWhitespace(c)) {
                    tokens.add(" "); // any other symbol breaks a name
                }
                i++;
            }
        }
    }

    /** A {@code *} in a select list ({@code SELECT *}, {@code , *}, {@code t.*}), not {@code count(*)}. */
    private boolean selectsAll() {
        if (tokens.isEmpty()) {
            return true;
        }
        String prev = tokens.get(tokens.size() - 1);
        return "select".equals(prev) || ",".equals(prev) || ".".equals(prev) || "distinct".equals(prev)
                || "all".equals(prev);
    }

    private void name(String word) {
        // a qualified name is one token: the scanner joins "a" "." "b"
        int last = tokens.size() - 1;
        if (last >= 1 && ".".equals(tokens.get(last)) && isName(tokens.get(last - 1))) {
            tokens.remove(last);
            tokens.set(last - 1, tokens.get(last - 1) + "." + word);
        } else {
            tokens.add(word);
        }
        words.add(word);
    }

    private static boolean isName(String t) {
        return t.length() > 1 || Character.isLetter(t.charAt(0)) || t.charAt(0) == '_';
    }

    private void collectTables() {
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if ("from".equals(t) || "join".equals(t)) {
                i = fromList(i + 1);
            } else if (("copy".equals(t) || "table".equals(t)) && i + 1 < tokens.size() && isName(tokens.get(i + 1))
                    && !STOP.contains(tokens.get(i + 1))) {
                tables.add(tokens.get(i + 1));
            }
        }
    }

    /** Reads {@code name [[AS] alias] [, name …]} from {@code i}; returns the index of the last token read. */
    private int fromList(int i) {
        while (i < tokens.size()) {
            String t = tokens.get(i);
            if (!isName(t) || STOP.contains(t) || "only".equals(t)) {
                if ("only".equals(t)) {
                    i++;
                    continue;
                }
                return i - 1;
            }
            tables.add(t);
            i++;
            if (i < tokens.size() && "as".equals(tokens.get(i))) {
                i++;
            }
            if (i < tokens.size() && isName(tokens.get(i)) && !STOP.contains(tokens.get(i))) {
                i++; // alias
            }
            if (i < tokens.size() && ",".equals(tokens.get(i))) {
                i++;
                continue;
            }
            return i - 1;
        }
        return i;
    }

    private static int skipQuoted(String s, int start, char q) {
        int i = start + 1;
        while (i < s.length()) {
            if (s.charAt(i) == q) {
                if (i + 1 < s.length() && s.charAt(i + 1) == q) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return s.length();
    }
}
