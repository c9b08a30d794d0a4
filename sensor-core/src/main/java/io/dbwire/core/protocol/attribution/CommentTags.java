package io.dbwire.core.protocol.attribution;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads the tag list of one comment body, in either of the two forms applications write:
 * <ul>
 *   <li>sqlcommenter ({@code key='value',key2='value2'}; https://google.github.io/sqlcommenter/spec/): keys and
 *       values URL-encoded, a {@code '} inside a value escaped with a backslash;</li>
 *   <li>Rails marginalia / query_log_tags legacy ({@code application:Blog,controller:posts,action:index}): an
 *       identifier, a colon, a value without white space or commas.</li>
 * </ul>
 * A body that is not wholly such a list (free text, an optimizer hint) gives no tags: a comment is data only when
 * its form says so. Tags already present keep their first value.
 */
final class CommentTags {
    static final int MAX_TAGS = 16;
    static final int MAX_KEY_CHARS = 64;
    static final int MAX_VALUE_CHARS = 256;

    /** What parsing a body gave. */
    enum Outcome { NONE, TAGS, TAGS_CUT }

    private CommentTags() {}

    static Outcome parse(String body, Map<String, String> into) {
        Outcome o = parseSqlCommenter(body, into);
        return o != Outcome.NONE ? o : parseMarginalia(body, into);
    }

    private static Outcome parseSqlCommenter(String s, Map<String, String> into) {
        int n = s.length();
        int i = skipSpace(s, 0);
        if (i == n) {
            return Outcome.NONE;
        }
        Map<String, String> found = new java.util.LinkedHashMap<>();
        boolean cut = false;
        while (true) {
            int eq = s.indexOf('=', i);
            if (eq <= i || eq + 1 >= n || s.charAt(eq + 1) != '\'') {
                return Outcome.NONE;
            }
            String rawKey = s.substring(i, eq).trim();
            if (rawKey.isEmpty() || !plainKey(rawKey)) {
                return Outcome.NONE;
            }
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            while (j < n && s.charAt(j) != '\'') {
                char c = s.charAt(j);
                if (c == '\\' && j + 1 < n) {
                    c = s.charAt(++j);
                }
                value.append(c);
                j++;
            }
            if (j >= n) {
                return Outcome.NONE; // unterminated value
            }
            cut |= put(found, urlDecode(rawKey), urlDecode(value.toString()));
            i = skipSpace(s, j + 1);
            if (i == n) {
                break;
            }
            if (s.charAt(i) != ',') {
                return Outcome.NONE;
            }
            i = skipSpace(s, i + 1);
        }
        return merge(found, into, cut);
    }

    private static Outcome parseMarginalia(String s, Map<String, String> into) {
        String body = s.trim();
        if (body.isEmpty()) {
            return Outcome.NONE;
        }
        Map<String, String> found = new java.util.LinkedHashMap<>();
        boolean cut = false;
        for (String pair : body.split(",", -1)) {
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1 || !identifier(pair, colon)) {
                return Outcome.NONE;
            }
            String value = pair.substring(colon + 1);
            for (int k = 0; k < value.length(); k++) {
                if (Character.isWhitespace(value.charAt(k))) {
                    return Outcome.NONE;
                }
            }
            cut |= put(found, pair.substring(0, colon), value);
        }
        return merge(found, into, cut);
    }

    private static Outcome merge(Map<String, String> found, Map<String, String> into, boolean cut) {
        for (Map.Entry<String, String> e : found.entrySet()) {
            if (into.containsKey(e.getKey())) {
                continue;
            }
            if (into.size() >= MAX_TAGS) {
                return Outcome.TAGS_CUT;
            }
            into.put(e.getKey(), e.getValue());
        }
        return cut ? Outcome.TAGS_CUT : Outcome.TAGS;
    }

    /** Adds a tag within the bounds; true when something was cut or dropped. */
    private static boolean put(Map<String, String> m, String key, String value) {
        if (m.size() >= MAX_TAGS || key.length() > MAX_KEY_CHARS) {
            return true;
        }
        boolean cut = value.length() > MAX_VALUE_CHARS;
        m.putIfAbsent(key, cut ? value.substring(0, MAX_VALUE_CHARS) : value);
        return cut;
    }

    /** A sqlcommenter key is URL-encoded: no white space, quotes, commas or comment marks. */
    private static boolean plainKey(String k) {
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (Character.isWhitespace(c) || c == '\'' || c == '"' || c == ',' || c == '*' || c == '/') {
                return false;
            }
        }
        return true;
    }

    private static boolean identifier(String s, int end) {
        char first = s.charAt(0);
        if (!(Character.isLetter(first) || first == '_')) {
            return false;
        }
        for (int i = 1; i < end; i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Percent-decoding as UTF-8; a malformed escape is kept as written, never an error. */
    static String urlDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        int i = 0;
        while (i < s.length()) {
            if (s.charAt(i) == '%' && i + 2 < s.length() && hexValue(s.charAt(i + 1)) >= 0
                    && hexValue(s.charAt(i + 2)) >= 0) {
                out.write(hexValue(s.charAt(i + 1)) * 16 + hexValue(s.charAt(i + 2)));
                i += 3;
                continue;
            }
            int next = s.indexOf('%', i + 1);
            int end = next < 0 ? s.length() : next;
            byte[] b = s.substring(i, end).getBytes(StandardCharsets.UTF_8);
            out.write(b, 0, b.length);
            i = end;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
