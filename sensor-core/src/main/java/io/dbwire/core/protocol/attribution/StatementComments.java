package io.dbwire.core.protocol.attribution;

import io.dbwire.core.protocol.sql.SqlDialect;
import io.dbwire.core.protocol.sql.SqlLexer;
import io.dbwire.core.protocol.sql.SqlTokenType;
import io.dbwire.core.record.StatementAttribution;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Attribution from a statement's comments (docs/records.md): the tags of sqlcommenter or marginalia comments and
 * a W3C traceparent found anywhere in a comment. Comments are found with the dialect's lexer, so a {@code /*}
 * inside a string literal is not one. Statements without a comment mark cost two {@code indexOf} and allocate
 * nothing. MySQL executable comments ({@code /*!…}) are statement text and are not read.
 */
public final class StatementComments {
    /** Comments of one statement that are read; further ones are ignored (and reported as cut). */
    static final int MAX_COMMENTS = 8;
    /** Characters of one comment that are read; the rest of a huge comment is ignored (and reported). */
    static final int MAX_COMMENT_CHARS = 4096;

    /** What reading gave: the attribution (null when none) and whether a bound cut something. */
    public record Result(StatementAttribution attribution, boolean cut) {
        static final Result NONE = new Result(null, false);
    }

    private StatementComments() {}

    public static Result read(String sql, SqlDialect dialect) {
        if (sql == null || !mayHaveComment(sql, dialect)) {
            return Result.NONE;
        }
        Map<String, String> tags = null;
        String traceId = null;
        String spanId = null;
        boolean cut = false;
        int comments = 0;
        SqlLexer lx = new SqlLexer(dialect, sql);
        while (lx.next()) {
            if (lx.type() != SqlTokenType.COMMENT || isExecutable(sql, lx.start(), dialect)) {
                continue;
            }
            if (++comments > MAX_COMMENTS) {
                cut = true;
                break;
            }
            String body = body(sql, lx.start(), lx.end(), lx.unterminated());
            if (body == null) {
                cut = true; // a huge comment: only its first MAX_COMMENT_CHARS are read
                body = bodyStart(sql, lx.start());
            }
            Map<String, String> found = new LinkedHashMap<>();
            CommentTags.Outcome o = CommentTags.parse(body, found);
            cut |= o == CommentTags.Outcome.TAGS_CUT;
            String tp = found.remove("traceparent");
            if (traceId == null) {
                int at = tp != null && TraceParent.isTraceParent(tp) ? 0 : -1;
                CharSequence where = at == 0 ? tp : body;
                if (at < 0) {
                    at = TraceParent.find(body, 0, body.length());
                }
                if (at >= 0) {
                    traceId = TraceParent.traceId(where, at);
                    spanId = TraceParent.spanId(where, at);
                }
            }
            if (!found.isEmpty()) {
                if (tags == null) {
                    tags = new LinkedHashMap<>();
                }
                for (Map.Entry<String, String> e : found.entrySet()) {
                    if (tags.size() >= CommentTags.MAX_TAGS) {
                        cut = true;
                        break;
                    }
                    tags.putIfAbsent(e.getKey(), e.getValue());
                }
            }
        }
        if (tags == null && traceId == null) {
            return cut ? new Result(null, true) : Result.NONE;
        }
        return new Result(new StatementAttribution(tags, traceId, spanId), cut);
    }

    private static boolean mayHaveComment(String sql, SqlDialect dialect) {
        return sql.indexOf("/*") >= 0 || sql.indexOf("--") >= 0 || (dialect == SqlDialect.MYSQL && sql.indexOf('#') >= 0);
    }

    private static boolean isExecutable(String sql, int start, SqlDialect dialect) {
        return dialect == SqlDialect.MYSQL && sql.startsWith("/*!", start);
    }

    /** The text between the comment's marks, or null when it is longer than {@link #MAX_COMMENT_CHARS}. */
    private static String body(String sql, int start, int end, boolean unterminated) {
        int from = bodyFrom(sql, start);
        int to = sql.startsWith("/*", start) && !unterminated && end - start >= 4 ? end - 2 : end;
        from = Math.min(from, to);
        return to - from > MAX_COMMENT_CHARS ? null : sql.substring(from, to);
    }

    private static String bodyStart(String sql, int start) {
        int from = bodyFrom(sql, start);
        return sql.substring(from, Math.min(sql.length(), from + MAX_COMMENT_CHARS));
    }

    /** After "/*", "--" or MySQL's "#". */
    private static int bodyFrom(String sql, int start) {
        return sql.startsWith("/*", start) || sql.startsWith("--", start) ? start + 2 : start + 1;
    }
}
