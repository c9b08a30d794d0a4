package io.dbwire.core.protocol.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatementSplitterTest {

    private static final SqlNormalizer PG = SqlNormalizer.postgres();
    private static final SqlNormalizer MY = SqlNormalizer.mysql();

    @Test
    void splitsOnTopLevelSemicolonsAndTrims() {
        assertThat(PG.split("SELECT 1; SELECT 2")).containsExactly("SELECT 1", "SELECT 2");
        assertThat(PG.split("  SELECT 1 ;\n\tSELECT 2;\n")).containsExactly("SELECT 1", "SELECT 2");
        assertThat(PG.split("SELECT 1")).containsExactly("SELECT 1");
    }

    @Test
    void dropsEmptyAndCommentOnlyStatements() {
        assertThat(PG.split(";;  ; SELECT 1;;")).containsExactly("SELECT 1");
        assertThat(PG.split("/* only a comment */; SELECT 1; -- trailing")).containsExactly("SELECT 1");
        assertThat(PG.split("")).isEmpty();
        assertThat(PG.split("  \n ")).isEmpty();
        assertThat(PG.split("-- nothing")).isEmpty();
        // a leading comment stays with its statement
        assertThat(PG.split("/* a */ SELECT 1; SELECT 2")).containsExactly("/* a */ SELECT 1", "SELECT 2");
    }

    @Test
    void semicolonsInsideQuotesCommentsAndDollarQuotesDoNotSplit() {
        assertThat(PG.split("SELECT ';'; SELECT 2;")).containsExactly("SELECT ';'", "SELECT 2");
        assertThat(PG.split("SELECT 'it'';s'; SELECT 2")).containsExactly("SELECT 'it'';s'", "SELECT 2");
        assertThat(PG.split("SELECT E'\\';'; SELECT 2")).containsExactly("SELECT E'\\';'", "SELECT 2");
        assertThat(PG.split("SELECT 1 AS \"a;b\"; SELECT 2")).containsExactly("SELECT 1 AS \"a;b\"", "SELECT 2");
        assertThat(PG.split("SELECT $$;$$; SELECT $a$ ; $b$ ; $a$"))
                .containsExactly("SELECT $$;$$", "SELECT $a$ ; $b$ ; $a$");
        assertThat(PG.split("SELECT 1 -- ;\n; SELECT /* ; /* ; */ */ 2"))
                .containsExactly("SELECT 1 -- ;", "SELECT /* ; /* ; */ */ 2");
        assertThat(PG.split("CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql; SELECT 1"))
                .containsExactly("CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql",
                        "SELECT 1");
    }

    @Test
    void semicolonsInsideParenthesesDoNotSplitAsInPsql() {
        assertThat(PG.split("SELECT (1; 2); SELECT 3")).containsExactly("SELECT (1; 2)", "SELECT 3");
    }

    @Test
    void sqlStandardFunctionBodiesStayWhole() {
        String fn = "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT a + 1; "
                + "SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END; END";
        assertThat(PG.split(fn + "; SELECT f(1)")).containsExactly(fn, "SELECT f(1)");
        String proc = "create or replace procedure p() begin atomic insert into t values (1); end";
        assertThat(PG.split(proc + ";\nCALL p()")).containsExactly(proc, "CALL p()");
    }

    @Test
    void transactionBeginIsNotABody() {
        assertThat(PG.split("BEGIN; UPDATE t SET a = 1; END; COMMIT"))
                .containsExactly("BEGIN", "UPDATE t SET a = 1", "END", "COMMIT");
        // BEGIN as a word inside a CREATE that is not a function or procedure does not nest either
        assertThat(PG.split("CREATE TABLE begin_log (begin int); SELECT 1"))
                .containsExactly("CREATE TABLE begin_log (begin int)", "SELECT 1");
    }

    @Test
    void unterminatedInputIsOneStatementToTheEnd() {
        assertThat(PG.split("SELECT 'abc; SELECT 2")).containsExactly("SELECT 'abc; SELECT 2");
        assertThat(PG.split("SELECT 1; /* open ; SELECT 2")).containsExactly("SELECT 1");
        assertThat(PG.split("SELECT 1; SELECT $q$ ; ")).containsExactly("SELECT 1", "SELECT $q$ ;");
    }

    @Test
    void mysqlQuotesAndComments() {
        assertThat(MY.split("SELECT \"a;b\"; SELECT 'c\\';d'; SELECT `e;f`; SELECT 1 # ;\n"))
                .containsExactly("SELECT \"a;b\"", "SELECT 'c\\';d'", "SELECT `e;f`", "SELECT 1 # ;");
        assertThat(MY.split("/*!40101 SET NAMES utf8 */;\n/* plain */;/*!40014 SET @x=1 */"))
                .containsExactly("/*!40101 SET NAMES utf8 */", "/*!40014 SET @x=1 */");
        assertThat(MY.split("SELECT 1 --;\n; SELECT 2")).containsExactly("SELECT 1 --", "SELECT 2"); // "--" without a space is two minus signs
    }

    @Test
    void mysqlCompoundBodiesStayWhole() {
        String proc = "CREATE PROCEDURE p() BEGIN DECLARE x INT DEFAULT 0; IF x > 0 THEN SELECT 1; END IF; "
                + "CASE x WHEN 1 THEN SELECT 2; ELSE BEGIN END; END CASE; "
                + "WHILE x < 3 DO SET x = x + 1; END WHILE; lbl: LOOP LEAVE lbl; END LOOP lbl; "
                + "REPEAT SET x = x - 1; UNTIL x = 0 END REPEAT; END";
        assertThat(MY.split(proc + "; CALL p()")).containsExactly(proc, "CALL p()");
        String trigger = "CREATE DEFINER=`root`@`%` TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; END";
        assertThat(MY.split(trigger + ";INSERT INTO t VALUES (1)")).containsExactly(trigger, "INSERT INTO t VALUES (1)");
        assertThat(MY.split("BEGIN; SELECT 1; COMMIT")).containsExactly("BEGIN", "SELECT 1", "COMMIT");
        assertThat(MY.split("CREATE TABLE t (a INT); SELECT CASE WHEN 1 THEN 2 END; SELECT 3"))
                .containsExactly("CREATE TABLE t (a INT)", "SELECT CASE WHEN 1 THEN 2 END", "SELECT 3");
    }
}
