package io.dbwire.core.protocol.sql;

import java.util.HashMap;
import java.util.Map;

/**
 * The words the normaliser treats as keywords, and the statement verbs. Keywords only change how the normalised text
 * looks (upper case) and where a sign is unary; the fingerprint lower-cases every unquoted word anyway, so the list
 * favours the reserved and clause words and leaves out words commonly used as column names (name, type, key, value,
 * level, date, time, user).
 */
final class SqlKeywords {

    private static final String KEYWORDS = String.join(" ",
            "SELECT FROM WHERE AND OR NOT IN IS NULL TRUE FALSE UNKNOWN AS ON JOIN INNER LEFT RIGHT FULL OUTER CROSS",
            "NATURAL USING GROUP BY ORDER HAVING LIMIT OFFSET FETCH FIRST NEXT ROWS ROW ONLY UNION ALL DISTINCT",
            "INTERSECT EXCEPT INSERT INTO VALUES UPDATE SET DELETE RETURNING DEFAULT CREATE ALTER DROP TABLE INDEX",
            "VIEW SEQUENCE SCHEMA DATABASE FUNCTION PROCEDURE TRIGGER IF EXISTS CASCADE RESTRICT TRUNCATE GRANT",
            "REVOKE BEGIN START TRANSACTION COMMIT ROLLBACK ABORT SAVEPOINT RELEASE WORK SHOW EXPLAIN ANALYZE VACUUM",
            "CALL DO PREPARE EXECUTE DEALLOCATE LISTEN NOTIFY UNLISTEN MOVE DECLARE CLOSE CURSOR LOCK UNLOCK USE",
            "REPLACE LOAD HANDLER MERGE MATCHED WHEN THEN ELSE END CASE WITH RECURSIVE MATERIALIZED LIKE ILIKE",
            "SIMILAR BETWEEN SYMMETRIC ASC DESC NULLS CAST ANY SOME ARRAY COLLATE CONFLICT NOTHING PRIMARY FOREIGN",
            "REFERENCES UNIQUE CHECK CONSTRAINT COPY FOR SHARE NOWAIT SKIP LOCKED OVER PARTITION WINDOW FILTER",
            "WITHIN LATERAL TEMPORARY TEMP UNLOGGED ISOLATION READ WRITE COMMITTED UNCOMMITTED REPEATABLE",
            "SERIALIZABLE DEFERRABLE INTERVAL ESCAPE OVERLAPS ATOMIC RESET DISCARD COMMENT ADD COLUMN RENAME TO",
            "IDENTITY GENERATED ALWAYS CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER SESSION_USER",
            "LOCALTIME LOCALTIMESTAMP DUPLICATE IGNORE LOW_PRIORITY HIGH_PRIORITY DELAYED STRAIGHT_JOIN",
            "SQL_CALC_FOUND_ROWS REGEXP RLIKE DIV MOD XOR DESCRIBE SHOW VALUE");

    /** Keywords that can end an operand, so a following sign is binary ({@code NULL - 1}, {@code END - 1}). */
    private static final String OPERAND_KEYWORDS = "NULL TRUE FALSE UNKNOWN END DEFAULT CURRENT_DATE CURRENT_TIME"
            + " CURRENT_TIMESTAMP CURRENT_USER SESSION_USER LOCALTIME LOCALTIMESTAMP";

    private static final String VERBS = String.join(" ",
            "SELECT INSERT UPDATE DELETE MERGE COPY CREATE ALTER DROP TRUNCATE GRANT REVOKE BEGIN COMMIT ROLLBACK",
            "SAVEPOINT RELEASE SET RESET SHOW EXPLAIN ANALYZE VACUUM CALL DO PREPARE EXECUTE DEALLOCATE LISTEN",
            "NOTIFY UNLISTEN FETCH MOVE DECLARE CLOSE LOCK UNLOCK USE REPLACE LOAD HANDLER DISCARD CHECKPOINT",
            "CLUSTER REINDEX COMMENT SECURITY REFRESH IMPORT REASSIGN DESCRIBE OPTIMIZE REPAIR CHECK CHECKSUM",
            "FLUSH KILL RENAME INSTALL UNINSTALL HELP XA SIGNAL RESIGNAL GET PURGE CHANGE STOP START BINLOG",
            "CACHE SHUTDOWN RESTART CLONE");

    /** Synonyms, mapped as PostgreSQL's command tags do (END is COMMIT, VALUES and TABLE are SELECT). */
    private static final String[][] VERB_ALIASES = {
        {"END", "COMMIT"}, {"ABORT", "ROLLBACK"}, {"ANALYSE", "ANALYZE"}, {"VALUES", "SELECT"}, {"TABLE", "SELECT"},
        {"DESC", "DESCRIBE"},
    };

    static final WordTable KEYWORD = table(KEYWORDS);
    static final WordTable OPERAND_KEYWORD = table(OPERAND_KEYWORDS);
    static final WordTable VERB = verbs();

    /** The verbs that may follow the common table expressions of a WITH. */
    static final WordTable WITH_MAIN_VERB = new WordTable(Map.of(
            "SELECT", "SELECT", "INSERT", "INSERT", "UPDATE", "UPDATE", "DELETE", "DELETE", "MERGE", "MERGE",
            "VALUES", "SELECT", "TABLE", "SELECT"));

    private SqlKeywords() {}

    private static WordTable table(String words) {
        Map<String, String> map = new HashMap<>();
        for (String w : words.split(" ")) {
            map.put(w, w);
        }
        return new WordTable(map);
    }

    private static WordTable verbs() {
        Map<String, String> map = new HashMap<>();
        for (String w : VERBS.split(" ")) {
            map.put(w, w);
        }
        for (String[] alias : VERB_ALIASES) {
            map.put(alias[0], alias[1]);
        }
        return new WordTable(map);
    }
}
