package io.dbwire.core.protocol.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OperationTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiterString = " ==> ", quoteCharacter = '~', value = {
        "select 1 ==> SELECT",
        "~  /* c */ -- x\n select 1~ ==> SELECT",
        "(SELECT 1) UNION (SELECT 2) ==> SELECT",
        "((select 1)) ==> SELECT",
        "~;; SELECT 1~ ==> SELECT",
        // WITH: the main statement after the common table expressions
        "WITH x AS (SELECT 1) DELETE FROM t WHERE id IN (SELECT * FROM x) ==> DELETE",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT * FROM r ==> SELECT",
        "with a as (select 1), b as (insert into t values (1) returning *) update t set x = 1 ==> UPDATE",
        "WITH update AS (SELECT 1) INSERT INTO t SELECT * FROM update ==> INSERT",
        "WITH x AS NOT MATERIALIZED (SELECT 1) MERGE INTO t USING x ON true WHEN MATCHED THEN DELETE ==> MERGE",
        "WITH RECURSIVE s AS (SELECT 1) SEARCH DEPTH FIRST BY a, b SET o CYCLE a SET c USING p SELECT * FROM s ==> SELECT",
        "WITH x AS (SELECT 1) ==> UNKNOWN",
        // data, definition, control
        "INSERT INTO t VALUES (1) ==> INSERT",
        "UPDATE t SET a = 1 ==> UPDATE",
        "DELETE FROM t ==> DELETE",
        "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE ==> MERGE",
        "COPY t FROM STDIN ==> COPY",
        "create table t (a int) ==> CREATE",
        "CREATE OR REPLACE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql ==> CREATE",
        "ALTER TABLE t ADD COLUMN b int ==> ALTER",
        "DROP TABLE t ==> DROP",
        "TRUNCATE t ==> TRUNCATE",
        "GRANT SELECT ON t TO u ==> GRANT",
        "REVOKE SELECT ON t FROM u ==> REVOKE",
        "BEGIN ==> BEGIN",
        "begin isolation level serializable ==> BEGIN",
        "START TRANSACTION READ ONLY ==> BEGIN",
        "COMMIT ==> COMMIT",
        "END ==> COMMIT",
        "ABORT ==> ROLLBACK",
        "ROLLBACK TO SAVEPOINT a ==> ROLLBACK",
        "SAVEPOINT a ==> SAVEPOINT",
        "RELEASE SAVEPOINT a ==> RELEASE",
        "SET search_path = app ==> SET",
        "SHOW server_version ==> SHOW",
        "EXPLAIN ANALYZE SELECT 1 ==> EXPLAIN",
        "ANALYZE t ==> ANALYZE",
        "VACUUM FULL t ==> VACUUM",
        "CALL p(1) ==> CALL",
        "~DO $$BEGIN NULL; END$$~ ==> DO",
        "PREPARE q AS SELECT 1 ==> PREPARE",
        "EXECUTE q ==> EXECUTE",
        "DEALLOCATE q ==> DEALLOCATE",
        "LISTEN ch ==> LISTEN",
        "NOTIFY ch ==> NOTIFY",
        "DECLARE c CURSOR FOR SELECT 1 ==> DECLARE",
        "FETCH 10 FROM c ==> FETCH",
        "MOVE NEXT IN c ==> MOVE",
        "CLOSE c ==> CLOSE",
        "LOCK TABLE t ==> LOCK",
        "VALUES (1), (2) ==> SELECT",
        "TABLE t ==> SELECT",
        "DISCARD ALL ==> DISCARD",
        // MySQL verbs
        "USE shop ==> USE",
        "REPLACE INTO t VALUES (1) ==> REPLACE",
        "LOAD DATA INFILE 'x' INTO TABLE t ==> LOAD",
        "HANDLER t OPEN ==> HANDLER",
        "DESC t ==> DESCRIBE",
        // nothing recognisable
        "~~ ==> UNKNOWN",
        "~-- only a comment~ ==> UNKNOWN",
        "~'x'~ ==> UNKNOWN",
        "frobnicate the table ==> UNKNOWN",
        "~\"select\" 1~ ==> UNKNOWN",
    })
    void verb(String sql, String expected) {
        assertThat(SqlNormalizer.postgres().normalize(sql).operation()).isEqualTo(expected);
        assertThat(SqlNormalizer.mysql().normalize(sql).operation()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiterString = " ==> ", quoteCharacter = '~', value = {
        "~/* c */ SELECT 1~ ==> SELECT",
        "~/*!40101 SET NAMES utf8 */~ ==> SET",
        "~# comment\nSHOW TABLES~ ==> SHOW",
        "START SLAVE ==> START",
        "XA START 'x' ==> XA",
    })
    void mysqlVerb(String sql, String expected) {
        assertThat(SqlNormalizer.mysql().normalize(sql).operation()).isEqualTo(expected);
    }
}
