package io.dbwire.core.protocol.sql;

import java.util.Arrays;

/**
 * The normalised token stream of one statement: parallel arrays of kind and source range, so a statement costs a
 * few arrays rather than an object per token. Literal kinds carry no range: they render as {@code ?}.
 */
final class TokenBuffer {

    static final byte KEYWORD = 0;
    static final byte IDENTIFIER = 1;
    static final byte QUOTED_IDENTIFIER = 2;
    /** A number or bit string replaced by {@code ?}, or a signed number folded into one. */
    static final byte LITERAL = 3;
    /** A character string replaced by {@code ?}; kept apart so adjacent strings ('a' 'b') fold into one. */
    static final byte STRING_LITERAL = 4;
    static final byte PARAMETER = 5;
    static final byte VARIABLE = 6;
    static final byte OPERATOR = 7;
    static final byte TYPECAST = 8;
    static final byte LEFT_PAREN = 9;
    static final byte RIGHT_PAREN = 10;
    static final byte LEFT_BRACKET = 11;
    static final byte RIGHT_BRACKET = 12;
    static final byte COMMA = 13;
    static final byte SEMICOLON = 14;
    static final byte DOT = 15;
    static final byte OTHER = 16;

    final String src;
    byte[] kind;
    int[] start;
    int[] end;
    /** The source had white space or a comment before this token: the rendered text keeps one space there. */
    boolean[] gap;
    int size;
    /** Where the last lexed token ended in {@link #src}, and whether the next token added follows a gap. */
    int lastEnd;
    boolean nextGap;

    TokenBuffer(String src, int expectedTokens) {
        this.src = src;
        int capacity = Math.max(16, expectedTokens);
        kind = new byte[capacity];
        start = new int[capacity];
        end = new int[capacity];
        gap = new boolean[capacity];
    }

    /** Notes where the next lexed token starts and ends, before it is added (or merged, or dropped). */
    void lexed(int s, int e) {
        nextGap = s > lastEnd && size > 0;
        lastEnd = e;
    }

    void add(byte k, int s, int e) {
        if (size == kind.length) {
            int capacity = size * 2;
            kind = Arrays.copyOf(kind, capacity);
            start = Arrays.copyOf(start, capacity);
            end = Arrays.copyOf(end, capacity);
            gap = Arrays.copyOf(gap, capacity);
        }
        gap[size] = nextGap;
        set(size++, k, s, e);
    }

    void set(int i, byte k, int s, int e) {
        kind[i] = k;
        start[i] = s;
        end[i] = e;
    }

    /** Copies token {@code from} over token {@code to} (to &lt;= from) while compacting in place. */
    void move(int from, int to) {
        set(to, kind[from], start[from], end[from]);
        gap[to] = gap[from];
    }

    boolean isLiteral(int i) {
        return kind[i] == LITERAL || kind[i] == STRING_LITERAL;
    }

    boolean isWord(int i, String word) {
        return (kind[i] == KEYWORD || kind[i] == IDENTIFIER)
                && end[i] - start[i] == word.length()
                && src.regionMatches(true, start[i], word, 0, word.length());
    }

    boolean isChar(int i, byte k, char c) {
        return kind[i] == k && end[i] - start[i] == 1 && src.charAt(start[i]) == c;
    }
}
