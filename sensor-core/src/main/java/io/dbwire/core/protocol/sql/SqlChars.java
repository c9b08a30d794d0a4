package io.dbwire.core.protocol.sql;

/** Character classes of the SQL lexers, ASCII tests by hand: no regular expressions, no tables to initialise. */
final class SqlChars {

    private SqlChars() {}

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isRadixDigit(char radix, char c) {
        switch (radix) {
            case 'x': return isDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
            case 'o': return c >= '0' && c <= '7';
            case 'b': return c == '0' || c == '1';
            default: return isDigit(c);
        }
    }

    static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    static boolean isIdentPart(char c) {
        return isIdentStart(c) || isDigit(c) || c == '$';
    }

    static boolean isOperatorChar(char c) {
        switch (c) {
            case '+': case '-': case '*': case '/': case '<': case '>': case '=':
            case '~': case '!': case '@': case '#': case '%': case '^': case '&': case '|': case '`': case '?':
                return true;
            default:
                return false;
        }
    }

    static boolean isSpecialOperatorChar(char c) {
        switch (c) {
            case '~': case '!': case '@': case '#': case '%': case '^': case '&': case '|': case '`': case '?':
                return true;
            default:
                return false;
        }
    }

    /**
     * MySQL's multi-character operators, longest first: {@code <=> ->>} then {@code <= >= != <> << >> && || ->};
     * anything else is one character (so {@code =-1} is {@code =} then {@code -1}).
     */
    static int mysqlOperatorLength(char a, char b, char c) {
        if ((a == '<' && b == '=' && c == '>') || (a == '-' && b == '>' && c == '>')) {
            return 3;
        }
        if ((b == '=' && (a == '<' || a == '>' || a == '!'))
                || (a == '<' && (b == '>' || b == '<')) || (a == '>' && b == '>')
                || (a == '&' && b == '&') || (a == '|' && b == '|') || (a == '-' && b == '>')) {
            return 2;
        }
        return 1;
    }
}
