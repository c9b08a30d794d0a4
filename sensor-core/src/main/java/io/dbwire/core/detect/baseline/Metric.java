package io.dbwire.core.detect.baseline;

import io.dbwire.core.record.ErrorInfo;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TlsInfo;
import io.dbwire.core.record.TransactionRecord;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Per-bucket figures a baseline keeps for an entity. */
public enum Metric {
    /** STATEMENT records. */
    STATEMENTS,
    /** Rows returned (DataRow count) plus rows affected. */
    ROWS,
    /** Request plus response wire bytes of statements. */
    BYTES,
    /** STATEMENT records with status ERROR. */
    ERRORS,
    /** LOGIN records that failed authentication. */
    FAILED_LOGINS,
    /**
     * Rows that left the database: rows returned (COPY … TO STDOUT counts its CopyData rows there) plus the rows of
     * a server-side export ({@code COPY … TO file/PROGRAM}, {@code SELECT … INTO OUTFILE/DUMPFILE}).
     */
    ROWS_OUT,
    /** Response wire bytes of statements. */
    BYTES_OUT,
    /**
     * Errors that probing produces: SQLSTATE class 42 (syntax, undefined object, insufficient privilege) and 22
     * (data exception, e.g. 22P02 from a quote in a number), MySQL syntax/unknown object/denied errors.
     */
    PROBE_ERRORS;

    static final Metric[] ALL = values();

    /**
     * MySQL 1054 unknown column, 1064 syntax, 1109 unknown table, 1142/1143 command/column denied, 1146 no such
     * table, 1241 operand columns, 1222 different column counts (UNION probing).
     * https://dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html
     */
    private static final Set<String> MYSQL_PROBE_CODES =
            Set.of("1054", "1064", "1109", "1142", "1143", "1146", "1222", "1241");
    private static final Pattern SERVER_EXPORT =
            Pattern.compile("\\bINTO\\s+(OUTFILE|DUMPFILE)\\b|^\\s*COPY\\b.*\\bTO\\b", Pattern.CASE_INSENSITIVE);

    /** Adds what one record contributes to each metric into {@code into}, indexed by ordinal. */
    static void accumulate(TransactionRecord r, long[] into) {
        if (r.kind() == RecordKind.STATEMENT) {
            into[STATEMENTS.ordinal()]++;
            if (r.response() != null) {
                into[ROWS.ordinal()] += nonNull(r.response().rows()) + nonNull(r.response().rowsAffected());
                into[BYTES.ordinal()] += r.response().bytes();
                into[BYTES_OUT.ordinal()] += r.response().bytes();
                into[ROWS_OUT.ordinal()] += rowsOut(r);
            }
            if (r.request() != null) {
                into[BYTES.ordinal()] += r.request().bytes();
            }
            if (r.status() == RecordStatus.ERROR) {
                into[ERRORS.ordinal()]++;
                if (isProbeError(r.error())) {
                    into[PROBE_ERRORS.ordinal()]++;
                }
            }
        } else if (r.kind() == RecordKind.LOGIN && AuthFailures.isFailedLogin(r)) {
            into[FAILED_LOGINS.ordinal()]++;
        } else if (r.kind() == RecordKind.TLS && r.tls() != null && !r.tls().decrypted()) {
            accumulateEncrypted(r.tls(), into);
        }
    }

    /**
     * A TLS session read without keys stands in for its statements: each request/response turn counts as one
     * statement and the session's bytes as theirs, so that volume and rate baselines see encrypted traffic too.
     * (A decrypted session's statements are records of their own and count there.)
     */
    private static void accumulateEncrypted(TlsInfo tls, long[] into) {
        if (tls.turns() != null) {
            into[STATEMENTS.ordinal()] += tls.turns().count();
        }
        long in = tls.client() == null ? 0 : tls.client().bytes();
        long out = tls.server() == null ? 0 : tls.server().bytes();
        into[BYTES.ordinal()] += in + out;
        into[BYTES_OUT.ordinal()] += out;
    }

    /** Rows returned to the client, or exported on the server side. */
    public static long rowsOut(TransactionRecord r) {
        long rows = nonNull(r.response().rows());
        if (r.response().rows() == null && r.response().rowsAffected() != null && r.statement() != null
                && r.statement().text() != null && isServerExport(r.statement().text())) {
            rows += r.response().rowsAffected();
        }
        return rows;
    }

    static boolean isServerExport(String text) {
        String op = text.stripLeading();
        return (op.regionMatches(true, 0, "COPY", 0, 4) || op.regionMatches(true, 0, "SELECT", 0, 6))
                && SERVER_EXPORT.matcher(text).find();
    }

    public static boolean isProbeError(ErrorInfo e) {
        if (e == null || e.code() == null) {
            return false;
        }
        String c = e.code().toUpperCase(Locale.ROOT);
        return c.startsWith("42") || c.startsWith("22") || MYSQL_PROBE_CODES.contains(c);
    }

    private static long nonNull(Long v) {
        return v == null ? 0 : v;
    }
}
