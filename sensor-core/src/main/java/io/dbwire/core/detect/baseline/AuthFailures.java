package io.dbwire.core.detect.baseline;

import io.dbwire.core.record.ErrorInfo;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import java.util.Set;

/** Which failed LOGIN records are authentication failures (wrong password, unknown user, access denied). */
public final class AuthFailures {
    /**
     * MySQL error numbers for refused authentication: 1044 ER_DBACCESS_DENIED_ERROR, 1045 ER_ACCESS_DENIED_ERROR,
     * 1698 ER_ACCESS_DENIED_NO_PASSWORD_ERROR. https://dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html
     */
    private static final Set<String> MYSQL_AUTH_CODES = Set.of("1044", "1045", "1698");
    /** PostgreSQL SQLSTATE class 28, invalid authorization (28000, 28P01). https://www.postgresql.org/docs/current/errcodes-appendix.html */
    private static final String PG_AUTH_CLASS = "28";

    private AuthFailures() {}

    /**
     * A LOGIN with status ERROR whose code is an authentication refusal. A failed login without a code (the
     * parser saw the refusal but no code) counts too; other login errors (too many connections 53300, database
     * does not exist 3D000) do not, so an overloaded server does not look like an attack.
     */
    public static boolean isFailedLogin(TransactionRecord r) {
        if (r.kind() != RecordKind.LOGIN || r.status() != RecordStatus.ERROR) {
            return false;
        }
        ErrorInfo e = r.error();
        if (e == null || e.code() == null) {
            return true;
        }
        return e.code().startsWith(PG_AUTH_CLASS) || MYSQL_AUTH_CODES.contains(e.code());
    }

    public static boolean isSuccessfulLogin(TransactionRecord r) {
        return r.kind() == RecordKind.LOGIN && r.status() == RecordStatus.OK;
    }
}
