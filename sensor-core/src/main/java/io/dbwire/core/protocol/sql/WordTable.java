package io.dbwire.core.protocol.sql;

import java.util.Map;

/**
 * A read-only map from ASCII words, matched case-insensitively, to values, looked up by a range of a source string
 * so that no String is built per token. Open addressing over a power-of-two table at most half full.
 */
final class WordTable {

    private final String[] keys;
    private final String[] values;
    private final int mask;

    WordTable(Map<String, String> entries) {
        int size = Integer.highestOneBit(Math.max(4, entries.size() * 4));
        keys = new String[size];
        values = new String[size];
        mask = size - 1;
        for (Map.Entry<String, String> e : entries.entrySet()) {
            String key = e.getKey();
            int slot = hash(key, 0, key.length()) & mask;
            while (keys[slot] != null) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            values[slot] = e.getValue();
        }
    }

    /** The value for {@code src[start, end)} ignoring ASCII case, or null. */
    String get(String src, int start, int end) {
        int length = end - start;
        if (length <= 0 || length > 32) {
            return null; // no SQL keyword is longer; spares hashing long identifiers
        }
        int h = hash(src, start, end);
        if (h == NOT_ASCII) {
            return null; // regionMatches(true, ..) folds some non-ASCII letters onto ASCII ones (U+017F onto s)
        }
        int slot = h & mask;
        String key;
        while ((key = keys[slot]) != null) {
            if (key.length() == length && src.regionMatches(true, start, key, 0, length)) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    boolean contains(String src, int start, int end) {
        return get(src, start, end) != null;
    }

    private static final int NOT_ASCII = -1;

    private static int hash(String s, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return NOT_ASCII;
            }
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            h = 31 * h + c;
        }
        return (h ^ (h >>> 16)) & 0x7fffffff;
    }
}
