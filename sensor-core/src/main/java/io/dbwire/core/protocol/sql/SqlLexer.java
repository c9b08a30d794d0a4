package io.dbwire.core.protocol.sql;

import static io.dbwire.core.protocol.sql.SqlChars.isDigit;
import static io.dbwire.core.protocol.sql.SqlChars.isIdentPart;
import static io.dbwire.core.protocol.sql.SqlChars.isIdentStart;
import static io.dbwire.core.protocol.sql.SqlChars.isOperatorChar;
import static io.dbwire.core.protocol.sql.SqlChars.isRadixDigit;
import static io.dbwire.core.protocol.sql.SqlChars.isSpecialOperatorChar;
import static io.dbwire.core.protocol.sql.SqlChars.mysqlOperatorLength;

/**
 * A streaming tokenizer over a statement string. Call {@link #next()} until it returns {@code false}; the current
 * token is {@link #type()} over {@code [start(), end())} of the source, so no String is built per token.
 *
 * <p>Never throws on input: an unterminated string, quoted identifier or comment runs to the end of the input and is
 * flagged {@link #unterminated()}; a character no rule accepts becomes a one-character {@link SqlTokenType#OTHER}.
 * No regular expressions: this runs once per statement on the hot path.
 *
 * <p>PostgreSQL rules: <a href="https://www.postgresql.org/docs/current/sql-syntax-lexical.html">4.1 Lexical
 * Structure</a> and {@code src/backend/parser/scan.l}. MySQL rules:
 * <a href="https://dev.mysql.com/doc/refman/8.0/en/string-literals.html">string literals</a>,
 * <a href="https://dev.mysql.com/doc/refman/8.0/en/comments.html">comments</a>,
 * <a href="https://dev.mysql.com/doc/refman/8.0/en/identifiers.html">identifiers</a>.
 */
public final class SqlLexer {

    private final boolean mysql;
    private final String src;
    private final int limit;
    private int pos;

    private SqlTokenType type;
    private int start;
    private int end;
    private boolean unterminated;

    public SqlLexer(SqlDialect dialect, String src) {
        this(dialect, src, 0, src.length());
    }

    /** Tokenizes {@code src[from, to)}; offsets reported stay relative to the whole of {@code src}. */
    public SqlLexer(SqlDialect dialect, String src, int from, int to) {
        if (from < 0 || to > src.length() || from > to) {
            throw new IndexOutOfBoundsException(
                    "range: [" + from + ", " + to + ") (expected: within 0.." + src.length() + ")");
        }
        this.mysql = dialect == SqlDialect.MYSQL;
        this.src = src;
        this.pos = from;
        this.limit = to;
    }

    /** Advances to the next token, skipping white space; {@code false} at the end of the input. */
    public boolean next() {
        while (pos < limit && src.charAt(pos) <= ' ') {
            pos++; // space, tab, CR, LF, FF, VT and other control characters all separate tokens
        }
        unterminated = false;
        if (pos >= limit) {
            type = null;
            start = end = limit;
            return false;
        }
        start = pos;
        type = scan(src.charAt(pos));
        end = pos;
        return true;
    }

    public SqlTokenType type() { return type; }

    public int start() { return start; }

    public int end() { return end; }

    /** The current string, quoted identifier or comment reached the end of the input without its closing mark. */
    public boolean unterminated() { return unterminated; }

    public String source() { return src; }

    /** The current token's text; allocates, so for tests and diagnostics rather than the hot loop. */
    public String text() { return src.substring(start, end); }

    /** Whether the current token is {@code word}, ignoring ASCII case, without building a String. */
    public boolean is(String word) {
        return end - start == word.length() && src.regionMatches(true, start, word, 0, word.length());
    }

    private SqlTokenType scan(char c) {
        switch (c) {
            case '(': pos++; return SqlTokenType.LEFT_PAREN;
            case ')': pos++; return SqlTokenType.RIGHT_PAREN;
            case '[': pos++; return SqlTokenType.LEFT_BRACKET;
            case ']': pos++; return SqlTokenType.RIGHT_BRACKET;
            case ',': pos++; return SqlTokenType.COMMA;
            case ';': pos++; return SqlTokenType.SEMICOLON;
            case '\'':
                pos++;
                return quoted('\'', mysql, SqlTokenType.STRING);
            case '"':
                pos++;
                // MySQL without ANSI_QUOTES reads "..." as a string constant with backslash escapes.
                return mysql
                        ? quoted('"', true, SqlTokenType.STRING)
                        : quoted('"', false, SqlTokenType.QUOTED_IDENTIFIER);
            case '`':
                if (mysql) {
                    pos++;
                    return quoted('`', false, SqlTokenType.QUOTED_IDENTIFIER);
                }
                return operator();
            case '.':
                if (isDigit(at(pos + 1))) {
                    return number();
                }
                pos++;
                return SqlTokenType.DOT;
            case ':':
                if (!mysql && at(pos + 1) == ':') {
                    pos += 2;
                    return SqlTokenType.TYPECAST;
                }
                pos += at(pos + 1) == '=' ? 2 : 1; // := (PL/pgSQL and MySQL assignment), or a lone : (array slice)
                return SqlTokenType.OPERATOR;
            case '$':
                return mysql ? word() : dollar();
            case '?':
                if (mysql) {
                    pos++;
                    return SqlTokenType.PARAMETER;
                }
                return operator();
            case '@':
                return mysql ? variable() : operator();
            case '#':
                if (mysql) {
                    return lineComment();
                }
                return operator();
            case '-':
                if (at(pos + 1) == '-' && (!mysql || pos + 2 >= limit || at(pos + 2) <= ' ')) {
                    // MySQL only treats "--" as a comment when a space or control character follows.
                    return lineComment();
                }
                return operator();
            case '/':
                if (at(pos + 1) == '*') {
                    return blockComment();
                }
                return operator();
            default:
                if (isDigit(c)) {
                    return number();
                }
                if (isIdentStart(c)) {
                    return prefixedOrWord(c);
                }
                if (isOperatorChar(c)) {
                    return operator();
                }
                pos++;
                return SqlTokenType.OTHER;
        }
    }

    /** String constants introduced by a letter (E'..', B'..', X'..', N'..', U&'..', U&".."), otherwise a word. */
    private SqlTokenType prefixedOrWord(char c) {
        char next = at(pos + 1);
        char lower = (char) (c | 0x20); // ASCII lower case
        if (next == '\'') {
            switch (lower) {
                case 'e':
                    if (!mysql) {
                        pos += 2;
                        return quoted('\'', true, SqlTokenType.STRING);
                    }
                    break;
                case 'b':
                case 'x':
                    pos += 2;
                    return quoted('\'', mysql, SqlTokenType.BIT_STRING);
                case 'n':
                    pos += 2;
                    return quoted('\'', mysql, SqlTokenType.STRING);
                default:
                    break;
            }
        } else if (!mysql && lower == 'u' && next == '&') {
            char q = at(pos + 2);
            if (q == '\'') {
                pos += 3;
                return quoted('\'', false, SqlTokenType.STRING);
            }
            if (q == '"') {
                pos += 3;
                return quoted('"', false, SqlTokenType.QUOTED_IDENTIFIER);
            }
        }
        return word();
    }

    private SqlTokenType word() {
        pos++;
        while (pos < limit && isIdentPart(src.charAt(pos))) {
            pos++;
        }
        return SqlTokenType.WORD;
    }

    /** Scans to the closing {@code q}; a doubled {@code q} is an escaped one, and so is {@code \q} when asked. */
    private SqlTokenType quoted(char q, boolean backslashEscapes, SqlTokenType result) {
        while (pos < limit) {
            char ch = src.charAt(pos);
            if (ch == '\\' && backslashEscapes) {
                pos += 2;
            } else if (ch == q) {
                if (at(pos + 1) == q) {
                    pos += 2;
                } else {
                    pos++;
                    return result;
                }
            } else {
                pos++;
            }
        }
        pos = limit; // a trailing backslash may have stepped past the end
        unterminated = true;
        return result;
    }

    /** PostgreSQL {@code $1} parameters and {@code $tag$ .. $tag$} dollar-quoted strings. */
    private SqlTokenType dollar() {
        int p = pos + 1;
        if (isDigit(at(p))) {
            while (p < limit && isDigit(src.charAt(p))) {
                p++;
            }
            pos = p;
            return SqlTokenType.PARAMETER;
        }
        // The tag follows identifier rules but may not contain '$' and may not start with a digit.
        if (p < limit && isIdentStart(src.charAt(p))) {
            while (p < limit && isIdentPart(src.charAt(p)) && src.charAt(p) != '$') {
                p++;
            }
        }
        if (at(p) != '$') {
            pos++;
            return SqlTokenType.OTHER;
        }
        int delimiterLength = p + 1 - pos;
        int search = p + 1;
        while (true) {
            int close = src.indexOf('$', search);
            if (close < 0 || close + delimiterLength > limit) {
                pos = limit;
                unterminated = true;
                return SqlTokenType.STRING;
            }
            if (src.regionMatches(close, src, pos, delimiterLength)) {
                pos = close + delimiterLength;
                return SqlTokenType.STRING;
            }
            search = close + 1;
        }
    }

    private SqlTokenType number() {
        char c = src.charAt(pos);
        char radix = (char) (at(pos + 1) | 0x20);
        boolean radixPrefix = radix == 'x' || radix == 'o' || radix == 'b';
        if (c == '0' && radixPrefix && isRadixDigit(radix, at(pos + 2))) {
            pos += 2;
            while (pos < limit && (isRadixDigit(radix, src.charAt(pos)) || underscoreBetweenDigits(radix))) {
                pos++;
            }
            return mysqlWordTail();
        }
        boolean integer = true;
        digits();
        if (at(pos) == '.' && at(pos + 1) != '.') { // "1..5" is 1 then the .. of a slice or range
            integer = false;
            pos++;
            digits();
        }
        char e = at(pos);
        if (e == 'e' || e == 'E') {
            int p = pos + 1;
            char s = at(p);
            if (s == '+' || s == '-') {
                p++;
            }
            if (isDigit(at(p))) {
                integer = false;
                pos = p;
                digits();
            }
        }
        return integer ? mysqlWordTail() : SqlTokenType.NUMBER;
    }

    /** MySQL identifiers may begin with a digit ({@code 1abc}, {@code 0x1G}): an integer running into letters is one. */
    private SqlTokenType mysqlWordTail() {
        if (mysql && pos < limit && isIdentPart(src.charAt(pos))) {
            while (pos < limit && isIdentPart(src.charAt(pos))) {
                pos++;
            }
            return SqlTokenType.WORD;
        }
        return SqlTokenType.NUMBER;
    }

    private void digits() {
        while (pos < limit && (isDigit(src.charAt(pos)) || underscoreBetweenDigits('d'))) {
            pos++;
        }
    }

    /** PostgreSQL 16 allows {@code 1_000}; in MySQL an underscore makes the token an identifier instead. */
    private boolean underscoreBetweenDigits(char radix) {
        return !mysql && src.charAt(pos) == '_' && pos > start && isRadixDigit(radix, at(pos + 1));
    }

    private SqlTokenType variable() {
        int p = pos + 1;
        if (at(p) == '@') {
            p++;
        } else {
            char q = at(p);
            if (q == '\'' || q == '"' || q == '`') {
                pos = p + 1;
                quoted(q, q != '`', SqlTokenType.VARIABLE);
                return SqlTokenType.VARIABLE;
            }
        }
        while (p < limit && (isIdentPart(src.charAt(p)) || src.charAt(p) == '.')) {
            p++;
        }
        pos = p;
        return SqlTokenType.VARIABLE;
    }

    private SqlTokenType lineComment() {
        while (pos < limit && src.charAt(pos) != '\n' && src.charAt(pos) != '\r') {
            pos++;
        }
        return SqlTokenType.COMMENT;
    }

    /** PostgreSQL block comments nest; MySQL ones, {@code /*!..*}{@code /} and {@code /*+..*}{@code /} included, do not. */
    private SqlTokenType blockComment() {
        pos += 2;
        int depth = 1;
        while (pos < limit) {
            char ch = src.charAt(pos);
            if (ch == '*' && at(pos + 1) == '/') {
                pos += 2;
                if (--depth == 0) {
                    return SqlTokenType.COMMENT;
                }
            } else if (ch == '/' && at(pos + 1) == '*' && !mysql) {
                pos += 2;
                depth++;
            } else {
                pos++;
            }
        }
        unterminated = true;
        return SqlTokenType.COMMENT;
    }

    private SqlTokenType operator() {
        return mysql ? mysqlOperator() : postgresOperator();
    }

    /**
     * scan.l: the longest run of operator characters, not crossing a comment start; a multi-character operator
     * cannot end in + or - unless it also holds one of ~ ! @ # % ^ &amp; | ` ?, so {@code =-1} is {@code =} then
     * {@code -1}.
     */
    private SqlTokenType postgresOperator() {
        int p = pos + 1;
        boolean special = isSpecialOperatorChar(src.charAt(pos));
        while (p < limit && isOperatorChar(src.charAt(p))) {
            char ch = src.charAt(p);
            char nx = at(p + 1);
            if ((ch == '-' && nx == '-') || (ch == '/' && nx == '*')) {
                break;
            }
            special |= isSpecialOperatorChar(ch);
            p++;
        }
        if (!special) {
            while (p - pos > 1 && (src.charAt(p - 1) == '+' || src.charAt(p - 1) == '-')) {
                p--;
            }
        }
        pos = p;
        return SqlTokenType.OPERATOR;
    }

    private SqlTokenType mysqlOperator() {
        pos += mysqlOperatorLength(src.charAt(pos), at(pos + 1), at(pos + 2));
        return SqlTokenType.OPERATOR;
    }

    private char at(int p) {
        return p < limit ? src.charAt(p) : '\0';
    }
}
