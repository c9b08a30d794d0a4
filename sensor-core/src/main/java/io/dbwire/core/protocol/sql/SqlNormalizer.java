package io.dbwire.core.protocol.sql;

import static io.dbwire.core.protocol.sql.TokenBuffer.COMMA;
import static io.dbwire.core.protocol.sql.TokenBuffer.DOT;
import static io.dbwire.core.protocol.sql.TokenBuffer.IDENTIFIER;
import static io.dbwire.core.protocol.sql.TokenBuffer.KEYWORD;
import static io.dbwire.core.protocol.sql.TokenBuffer.LEFT_BRACKET;
import static io.dbwire.core.protocol.sql.TokenBuffer.LEFT_PAREN;
import static io.dbwire.core.protocol.sql.TokenBuffer.LITERAL;
import static io.dbwire.core.protocol.sql.TokenBuffer.OPERATOR;
import static io.dbwire.core.protocol.sql.TokenBuffer.QUOTED_IDENTIFIER;
import static io.dbwire.core.protocol.sql.TokenBuffer.RIGHT_BRACKET;
import static io.dbwire.core.protocol.sql.TokenBuffer.RIGHT_PAREN;
import static io.dbwire.core.protocol.sql.TokenBuffer.SEMICOLON;
import static io.dbwire.core.protocol.sql.TokenBuffer.STRING_LITERAL;
import static io.dbwire.core.protocol.sql.TokenBuffer.TYPECAST;

import java.util.List;

/**
 * Normalises statements so records carry no data values: every string, number and bit-string constant becomes
 * {@code ?} (a signed number after an operator, {@code (}, {@code ,} or keyword becomes one {@code ?}); lists of
 * plain values fold ({@code IN (?)}, {@code ARRAY[?]}, a multi-row VALUES keeps its first row); comments go; keywords
 * are upper-cased, identifiers, parameters ({@code $1}, {@code ?}) and variables stay as written; one trailing
 * {@code ;} goes.
 *
 * <p>Text layout follows the original: where the statement had white space or a comment between two tokens the
 * text has one space, where they touched it has none ({@code SELECT DATABASE()} and {@code customers (id} stay as
 * written); a folded list is written {@code (?)}. Text longer than {@code maxTextChars} is cut after the last
 * whole token that fits and ends with {@code …}; the fingerprint always covers the whole statement
 * (see {@link Fingerprint} for its exact definition). Stateless and thread-safe.
 */
public final class SqlNormalizer implements StatementNormalizer {

    static final char ELLIPSIS = '\u2026';

    private final SqlDialect dialect;
    private final int maxTextChars;

    public SqlNormalizer(SqlDialect dialect, int maxTextChars) {
        if (maxTextChars < 1) {
            throw new IllegalArgumentException("maxTextChars: " + maxTextChars + " (expected: >= 1)");
        }
        this.dialect = dialect;
        this.maxTextChars = maxTextChars;
    }

    public static SqlNormalizer postgres() {
        return new SqlNormalizer(SqlDialect.POSTGRESQL, 16_384);
    }

    public static SqlNormalizer mysql() {
        return new SqlNormalizer(SqlDialect.MYSQL, 16_384);
    }

    @Override
    public SqlDialect dialect() {
        return dialect;
    }

    @Override
    public NormalizedStatement normalize(String sql) {
        TokenBuffer t = tokens(sql == null ? "" : sql);
        LiteralLists.fold(t);
        while (t.size > 0 && t.kind[t.size - 1] == SEMICOLON) {
            t.size--;
        }
        return new NormalizedStatement(render(t), fingerprint(t), OperationFinder.find(t));
    }

    @Override
    public List<String> split(String sql) {
        return StatementSplitter.split(dialect, sql);
    }

    /** Lexes, drops comments, replaces constants, folds signs and adjacent strings. */
    private TokenBuffer tokens(String sql) {
        TokenBuffer t = new TokenBuffer(sql, Math.min(sql.length() / 4, 1024));
        addTokens(t, new SqlLexer(dialect, sql), true);
        return t;
    }

    private void addTokens(TokenBuffer t, SqlLexer lx, boolean outermost) {
        String sql = t.src;
        while (lx.next()) {
            int s = lx.start();
            int e = lx.end();
            if (lx.type() != SqlTokenType.COMMENT) {
                t.lexed(s, e);
            }
            switch (lx.type()) {
                case COMMENT:
                    if (outermost && dialect == SqlDialect.MYSQL && e - s >= 3 && sql.startsWith("/*!", s)) {
                        // one level only: "/*!/*!/*!..." must not recurse once per opener
                        addTokens(t, executableComment(sql, s, e, lx.unterminated()), false);
                    }
                    break;
                case NUMBER:
                case BIT_STRING:
                    if (lx.type() == SqlTokenType.NUMBER && signIsUnary(t)) {
                        t.set(t.size - 1, LITERAL, 0, 0); // -42 after =, (, ',' or a keyword is one constant
                    } else {
                        t.add(LITERAL, 0, 0);
                    }
                    break;
                case STRING:
                    addString(t, s);
                    break;
                case WORD:
                    t.add(SqlKeywords.KEYWORD.contains(sql, s, e) ? KEYWORD : IDENTIFIER, s, e);
                    break;
                case QUOTED_IDENTIFIER: t.add(QUOTED_IDENTIFIER, s, e); break;
                case PARAMETER: t.add(TokenBuffer.PARAMETER, s, e); break;
                case VARIABLE: t.add(TokenBuffer.VARIABLE, s, e); break;
                case OPERATOR: t.add(OPERATOR, s, e); break;
                case TYPECAST: t.add(TYPECAST, s, e); break;
                case LEFT_PAREN: t.add(LEFT_PAREN, s, e); break;
                case RIGHT_PAREN: t.add(RIGHT_PAREN, s, e); break;
                case LEFT_BRACKET: t.add(LEFT_BRACKET, s, e); break;
                case RIGHT_BRACKET: t.add(RIGHT_BRACKET, s, e); break;
                case COMMA: t.add(COMMA, s, e); break;
                case SEMICOLON: t.add(SEMICOLON, s, e); break;
                case DOT: t.add(DOT, s, e); break;
                default: t.add(TokenBuffer.OTHER, s, e); break;
            }
        }
    }

    /**
     * MySQL runs the body of {@code /*!NNNNN ... *}{@code /} as statement text when the server is at least version
     * NNNNN (mysqldump writes whole statements this way), so the body is normalised like any other text; the version
     * digits are not part of it. Comments do not nest in MySQL, so the body holds no further comment of this kind.
     */
    private static SqlLexer executableComment(String sql, int start, int end, boolean unterminated) {
        int from = start + 3;
        int to = unterminated ? end : end - 2;
        int digits = from;
        while (digits < to && digits - from < 6 && SqlChars.isDigit(sql.charAt(digits))) {
            digits++;
        }
        if (digits - from == 5 || digits - from == 6) {
            from = digits; // 5 digits (40101) or, since 8.0, 6 (100200)
        }
        return new SqlLexer(SqlDialect.MYSQL, sql, from, Math.max(from, to));
    }

    /**
     * Adjacent string constants are one value (PostgreSQL joins them across a newline, MySQL always), and a MySQL
     * character-set introducer glued to its string ({@code _utf8mb4'..'}) is part of the value.
     */
    private void addString(TokenBuffer t, int s) {
        int last = t.size - 1;
        if (last >= 0 && t.kind[last] == STRING_LITERAL) {
            return;
        }
        if (last >= 0 && dialect == SqlDialect.MYSQL && t.kind[last] == IDENTIFIER && t.end[last] == s
                && t.src.charAt(t.start[last]) == '_') {
            t.set(last, STRING_LITERAL, 0, 0);
            return;
        }
        t.add(STRING_LITERAL, 0, 0);
    }

    /** The buffer ends in a lone + or - that cannot be binary: nothing, an operator, ( , [ :: ; or a keyword before. */
    private static boolean signIsUnary(TokenBuffer t) {
        int sign = t.size - 1;
        if (sign < 0 || !(t.isChar(sign, OPERATOR, '-') || t.isChar(sign, OPERATOR, '+'))) {
            return false;
        }
        int before = sign - 1;
        if (before < 0) {
            return true;
        }
        switch (t.kind[before]) {
            case OPERATOR:
            case LEFT_PAREN:
            case LEFT_BRACKET:
            case COMMA:
            case SEMICOLON:
            case TYPECAST:
                return true;
            case KEYWORD:
                return !SqlKeywords.OPERAND_KEYWORD.contains(t.src, t.start[before], t.end[before]);
            default:
                return false;
        }
    }

    private String render(TokenBuffer t) {
        StringBuilder sb = new StringBuilder(Math.min(t.src.length(), maxTextChars) + 8);
        int fits = 0; // length after the last whole token that leaves room for the ellipsis
        for (int i = 0; i < t.size; i++) {
            if (i > 0 && t.gap[i]) {
                sb.append(' ');
            }
            appendToken(sb, t, i);
            if (sb.length() > maxTextChars) {
                sb.setLength(fits);
                return sb.append(ELLIPSIS).toString();
            }
            if (sb.length() <= maxTextChars - 1) {
                fits = sb.length();
            }
        }
        return sb.toString();
    }

    private static void appendToken(StringBuilder sb, TokenBuffer t, int i) {
        switch (t.kind[i]) {
            case KEYWORD: sb.append(SqlKeywords.KEYWORD.get(t.src, t.start[i], t.end[i])); break;
            case LITERAL:
            case STRING_LITERAL: sb.append('?'); break;
            case LEFT_PAREN: sb.append('('); break;
            case RIGHT_PAREN: sb.append(')'); break;
            case LEFT_BRACKET: sb.append('['); break;
            case RIGHT_BRACKET: sb.append(']'); break;
            default: sb.append(t.src, t.start[i], t.end[i]); break;
        }
    }

    private static String fingerprint(TokenBuffer t) {
        Fingerprint f = new Fingerprint();
        for (int i = 0; i < t.size; i++) {
            f.token();
            switch (t.kind[i]) {
                case KEYWORD:
                case IDENTIFIER: f.append(t.src, t.start[i], t.end[i], true); break;
                case LITERAL:
                case STRING_LITERAL:
                case TokenBuffer.PARAMETER: f.append('?'); break; // see Fingerprint: $n counts as a value
                case LEFT_PAREN: f.append('('); break;
                case RIGHT_PAREN: f.append(')'); break;
                case LEFT_BRACKET: f.append('['); break;
                case RIGHT_BRACKET: f.append(']'); break;
                default: f.append(t.src, t.start[i], t.end[i], false); break;
            }
        }
        return f.finish();
    }
}
