package io.dbwire.core.record;

/**
 * @param rows         rows returned to the client (DataRow count), null when the response carried no result set
 * @param rowsAffected rows changed as the server reported them (INSERT/UPDATE/DELETE/MERGE/COPY tags), or null
 * @param bytes        wire bytes of the response
 * @param serverUs     from the request's last byte to the response's first (the server's own time), or null
 * @param durationUs   from the request's first byte to the response's last byte, or null
 * @param commandTag   PostgreSQL: the CommandComplete tag as the server sent it ({@code INSERT 0 1}, {@code COMMIT},
 *                     {@code ROLLBACK}); null when none was seen and for MySQL
 * @param transaction  what a transaction-ending statement did, as the server said: {@link #COMMITTED} or
 *                     {@link #ROLLED_BACK} (a COMMIT of a failed PostgreSQL transaction is answered ROLLBACK);
 *                     null for every other statement
 * @param sensitive    what the opt-in sensitive-data scan found in the result rows; null when the scan is off or
 *                     found nothing
 */
public record ResponseInfo(Long rows, Long rowsAffected, long bytes, Long serverUs, Long durationUs,
        String commandTag, String transaction, SensitiveCounts sensitive) {
    public static final String COMMITTED = "committed";
    public static final String ROLLED_BACK = "rolled_back";

    public ResponseInfo(Long rows, Long rowsAffected, long bytes, Long serverUs, Long durationUs,
            String commandTag, String transaction) {
        this(rows, rowsAffected, bytes, serverUs, durationUs, commandTag, transaction, null);
    }

    /** A response without a command tag (MySQL, logins, TLS and cancel records). */
    public ResponseInfo(Long rows, Long rowsAffected, long bytes, Long serverUs, Long durationUs) {
        this(rows, rowsAffected, bytes, serverUs, durationUs, null, null, null);
    }
}
