package io.dbwire.core.detect.alert;

import io.dbwire.core.record.ErrorInfo;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.record.TransactionRecord;

/**
 * Short evidence strings for alerts. Statement text is masked again here (every quoted literal becomes
 * {@code ?}) because records may carry full text when {@code statement_mode: full}, and a password in
 * {@code ALTER ROLE … PASSWORD '…'} or {@code IDENTIFIED BY '…'} must never reach an alert.
 */
public final class Evidence {
    /** Characters of statement text kept per evidence item. */
    static final int MAX_STATEMENT_CHARS = 160;
    /** Characters of a user name kept. */
    static final int MAX_NAME_CHARS = 64;

    private Evidence() {}

    public static String of(TransactionRecord r) {
        switch (r.kind()) {
            case STATEMENT:
                return statement(r.statement()) + errorSuffix(r.error());
            case LOGIN:
                return login(r);
            case TLS:
                return "tls session user=" + name(r.session().user());
            case CANCEL:
                return "cancel request";
            default:
                return r.kind().json();
        }
    }

    /** {@code login ok user=alice} or {@code login failed 28P01 user=alice}. */
    public static String login(TransactionRecord r) {
        String outcome;
        switch (r.status()) {
            case OK:
                outcome = "login ok";
                break;
            case ERROR:
                outcome = "login failed " + (r.error() == null || r.error().code() == null ? "?" : name(r.error().code()));
                break;
            default:
                outcome = "login incomplete";
        }
        return outcome + " user=" + name(r.session().user());
    }

    public static String statement(StatementInfo s) {
        if (s == null) {
            return "statement ?";
        }
        if (s.text() == null) {
            return "statement " + s.operation() + " fingerprint=" + s.fingerprint();
        }
        String masked = maskNumbers(maskDollarQuoted(maskQuoted(s.text())));
        return masked.length() <= MAX_STATEMENT_CHARS ? masked : masked.substring(0, MAX_STATEMENT_CHARS) + "…";
    }

    /** A user or database name as shown in evidence: {@code ?} when unknown, cut when long. */
    public static String name(String v) {
        if (v == null) {
            return "?";
        }
        return v.length() <= MAX_NAME_CHARS ? v : v.substring(0, MAX_NAME_CHARS) + "…";
    }

    /**
     * Replaces each '…' and "…" run with {@code ?}; a doubled quote inside stays part of the literal, an unclosed
     * one masks to the end. Double-quoted identifiers (PostgreSQL) are masked too: losing a name is the cheap side.
     */
    static String maskQuoted(String sql) {
        StringBuilder out = new StringBuilder(Math.min(sql.length(), MAX_STATEMENT_CHARS * 2));
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c != '\'' && c != '"') {
                out.append(c);
                i++;
                continue;
            }
            int j = i + 1;
            while (j < n) {
                if (sql.charAt(j) == '\\' && j + 1 < n) { // MySQL backslash escape
                    j += 2;
                } else if (sql.charAt(j) == c) {
                    if (j + 1 < n && sql.charAt(j + 1) == c) {
                        j += 2; // doubled quote
                    } else {
                        break;
                    }
                } else {
                    j++;
                }
            }
            out.append('?');
            i = j + 1;
        }
        return out.toString();
    }

    /**
     * Replaces PostgreSQL dollar-quoted strings ({@code $$…$$}, {@code $tag$…$tag$}) with {@code ?}: a password
     * or a function body can hide there as well as in quotes. {@code $1} is a parameter, not a quote.
     */
    static String maskDollarQuoted(String sql) {
        if (sql.indexOf('$') < 0) {
            return sql;
        }
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            int tagEnd = c == '$' ? dollarTagEnd(sql, i) : -1;
            if (tagEnd < 0) {
                out.append(c);
                i++;
                continue;
            }
            String tag = sql.substring(i, tagEnd + 1);
            int close = sql.indexOf(tag, tagEnd + 1);
            out.append('?');
            i = close < 0 ? n : close + tag.length();
        }
        return out.toString();
    }

    /** Index of the closing {@code $} of a dollar-quote tag opening at {@code start}, or -1. */
    private static int dollarTagEnd(String sql, int start) {
        int j = start + 1;
        if (j < sql.length() && Character.isDigit(sql.charAt(j))) {
            return -1; // $1: a parameter
        }
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        return j < sql.length() && sql.charAt(j) == '$' ? j : -1;
    }

    /**
     * Replaces numeric literals with {@code ?} (full statement text carries data in numbers too: ids, amounts,
     * card numbers). A digit run that is part of a name ({@code t1}, {@code $1}, {@code a.b2}) stays.
     */
    static String maskNumbers(String sql) {
        StringBuilder out = null;
        int n = sql.length();
        int i = 0;
        int copied = 0;
        while (i < n) {
            char c = sql.charAt(i);
            boolean start = Character.isDigit(c)
                    && (i == 0 || !isNamePart(sql.charAt(i - 1)));
            if (!start) {
                i++;
                continue;
            }
            int j = i;
            while (j < n && (isNamePart(sql.charAt(j)) || sql.charAt(j) == '.')) {
                j++;
            }
            if (out == null) {
                out = new StringBuilder(n);
            }
            out.append(sql, copied, i).append('?');
            copied = j;
            i = j;
        }
        return out == null ? sql : out.append(sql, copied, n).toString();
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static String errorSuffix(ErrorInfo e) {
        return e == null || e.code() == null ? "" : " -> error " + name(e.code());
    }
}
