package io.dbwire.core.protocol.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlNormalizerTest {

    private static final SqlNormalizer PG = SqlNormalizer.postgres();
    private static final SqlNormalizer MY = SqlNormalizer.mysql();

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiterString = " ==> ", quoteCharacter = '~', value = {
        // pgbench's TPC-B-like script, literal form (pgbench -M simple) and parameter form (-M extended)
        "~UPDATE pgbench_accounts SET abalance = abalance + -4711 WHERE aid = 12345;~"
                + " ==> ~UPDATE pgbench_accounts SET abalance = abalance + ? WHERE aid = ?~",
        "~UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2;~"
                + " ==> ~UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2~",
        "~SELECT abalance FROM pgbench_accounts WHERE aid = 42;~ ==> ~SELECT abalance FROM pgbench_accounts WHERE aid = ?~",
        "~INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (3, 1, 9, -4711, CURRENT_TIMESTAMP);~"
                + " ==> ~INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP)~",
        "~END;~ ==> ~END~",
        // JDBC-style parameters, lower-case keywords, qualified names
        "~select u.id, u.email from users u where u.org_id = $1 and u.created_at > $2 order by u.id limit $3~"
                + " ==> ~SELECT u.id, u.email FROM users u WHERE u.org_id = $1 AND u.created_at > $2 ORDER BY u.id LIMIT $3~",
        // IN lists and ARRAY constructors of plain values fold to one ?
        "~SELECT * FROM t WHERE id IN (1, 2, 3) AND s NOT IN ('a','b') AND p IN ($1,$2)~"
                + " ==> ~SELECT * FROM t WHERE id IN (?) AND s NOT IN (?) AND p IN (?)~",
        "~SELECT * FROM t WHERE id = ANY(ARRAY[1,-2,3]) AND x IN (SELECT y FROM z WHERE w = 1)~"
                + " ==> ~SELECT * FROM t WHERE id = ANY(ARRAY[?]) AND x IN (SELECT y FROM z WHERE w = ?)~",
        // multi-row VALUES keeps its first row when every row is plain
        "~INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (3, NULL)~ ==> ~INSERT INTO t (a, b) VALUES (?, ?)~",
        "~insert into t (a,b) values ($1,$2::int4),($3,$4::int4)~ ==> ~INSERT INTO t (a,b) VALUES ($1,$2::int4)~",
        "~INSERT INTO t VALUES (1, now()), (2, now())~ ==> ~INSERT INTO t VALUES (?, now()), (?, now())~",
        // operators, casts, typed literals
        "~SELECT data->>'name' FROM docs WHERE data @> '{\"a\":1}'::jsonb AND ts > now() - interval '1 day'~"
                + " ==> ~SELECT data->>? FROM docs WHERE data @> ?::jsonb AND ts > now() - INTERVAL ?~",
        "~SELECT -1, a - 1, f(-2.5), b*-3, c-4 FROM t WHERE x = -4 AND y IS NULL~"
                + " ==> ~SELECT ?, a - ?, f(?), b*?, c-? FROM t WHERE x = ? AND y IS NULL~",
        "~SELECT E'a\\nb', B'101', X'ff', U&'d\\0061t', 1e-3, 0x1F, 1_000~ ==> ~SELECT ?, ?, ?, ?, ?, ?, ?~",
        "~SELECT 'foo'\n   'bar' AS x~ ==> ~SELECT ? AS x~",
        // dollar quotes, comments, white space
        "~DO $$ BEGIN RAISE NOTICE 'x'; END $$~ ==> ~DO ?~",
        "~/* app:web */ SELECT\t  1 -- trailing~ ==> ~SELECT ?~",
        // quoted identifiers as written, keywords upper case, TRUE/FALSE/NULL kept
        "~SELECT \"User\".\"Name\" FROM \"User\" WHERE \"id\" = 7~ ==> ~SELECT \"User\".\"Name\" FROM \"User\" WHERE \"id\" = ?~",
        "~update t set a = true, b = null where c is not null~ ==> ~UPDATE t SET a = TRUE, b = NULL WHERE c IS NOT NULL~",
        "~INSERT INTO kv (k, v) VALUES ('a', 1) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v~"
                + " ==> ~INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v~",
        "~SELECT count(*), a[1] FROM t GROUP BY 1 HAVING count(*) > 10~"
                + " ==> ~SELECT count(*), a[?] FROM t GROUP BY ? HAVING count(*) > ?~",
        "~SELECT 1; SELECT 2;;~ ==> ~SELECT ?; SELECT ?~",
        "~~ ==> ~~",
        "~-- nothing but a comment~ ==> ~~",
        // spacing as written: only replaced literals and folded lists differ from the original
        "~SELECT DATABASE()~ ==> ~SELECT DATABASE()~",
        "~CREATE TABLE customers (id int PRIMARY KEY, name varchar(64))~"
                + " ==> ~CREATE TABLE customers (id int PRIMARY KEY, name varchar(?))~",
        "~SELECT a/* no space */FROM t WHERE b IN ( 1 , 2 )~ ==> ~SELECT a FROM t WHERE b IN (?)~",
    })
    void normalisesPostgres(String sql, String expected) {
        assertThat(PG.normalize(sql).text()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiterString = " ==> ", quoteCharacter = '~', value = {
        "~SELECT `id`, name FROM users WHERE email = \"a@b.c\" AND flags & 0x0F AND @x := 1 # hi~"
                + " ==> ~SELECT `id`, name FROM users WHERE email = ? AND flags & ? AND @x := ?~",
        "~INSERT INTO t VALUES (?, ?), (?, ?), (?, ?)~ ==> ~INSERT INTO t VALUES (?, ?)~",
        "~SELECT _utf8mb4'x' COLLATE utf8mb4_bin, N'y', 'it\\'s', X'1F', b'01'~"
                + " ==> ~SELECT ? COLLATE utf8mb4_bin, ?, ?, ?, ?~",
        "~SELECT /*+ BKA(t) */ * FROM t WHERE a IN (1,2) LIMIT 10, 20~ ==> ~SELECT * FROM t WHERE a IN (?) LIMIT ?, ?~",
        "~SELECT @@session.sql_mode, 1--1~ ==> ~SELECT @@session.sql_mode, ?-?~",
        // executable comments are statement text to MySQL: normalised, version digits dropped
        "~/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */~"
                + " ==> ~SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE=?~",
        "~SELECT /*! STRAIGHT_JOIN */ a FROM t /*!80000 LIMIT 5 */~ ==> ~SELECT STRAIGHT_JOIN a FROM t LIMIT ?~",
        "~SELECT 1 /*!100200 + 2~ ==> ~SELECT ? + ?~",
    })
    void normalisesMySql(String sql, String expected) {
        assertThat(MY.normalize(sql).text()).isEqualTo(expected);
    }

    @Test
    void fingerprintIsTheDocumentedSha256Prefix() throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256")
                .digest("select * from t where id = ?".getBytes(StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            hex.append(String.format("%02x", hash[i]));
        }
        assertThat(PG.normalize("SELECT * FROM t WHERE id = 5").fingerprint()).isEqualTo(hex.toString());
        assertThat(PG.normalize("").fingerprint()).isEqualTo("e3b0c44298fc1c14"); // SHA-256 of nothing
    }

    @ParameterizedTest(name = "same: {0} ~ {1}")
    @CsvSource(delimiterString = " ~~ ", quoteCharacter = '`', value = {
        "select * from T where id=1 ~~ SELECT *  FROM t WHERE id = 42 -- x",
        "SELECT a FROM t WHERE id IN (1, 2, 3) ~~ select a from t where id in (7)",
        "INSERT INTO t (a) VALUES (1), (2), (3) ~~ insert into t (a) values (9)",
        "SELECT a FROM t WHERE b = -1 ~~ SELECT a FROM t WHERE b = 7",
        "SELECT 'a' || x ~~ /* c */ SELECT 'bbb'   || x;",
        "SELECT a FROM t WHERE n = 1.5e3 ~~ SELECT a FROM t WHERE n = B'1'",
        "SELECT $$x$$ ~~ SELECT 'y'",
        "SELECT tëst FROM t ~~ select tëst from T",
        // parameters count as values: simple and extended protocol agree, and renumbering after a fold does not matter
        "SELECT * FROM t WHERE id = 1 ~~ SELECT * FROM t WHERE id = $1",
        "SELECT * FROM t WHERE a IN ($1, $2) AND b = $3 ~~ SELECT * FROM t WHERE a IN ($1) AND b = $2",
        "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) ~~ INSERT INTO t (a, b) VALUES ('x', 1)",
    })
    void fingerprintIgnoresValuesCaseCommentsAndSpace(String a, String b) {
        assertThat(PG.normalize(a).fingerprint()).isEqualTo(PG.normalize(b).fingerprint()).matches("[0-9a-f]{16}");
    }

    @ParameterizedTest(name = "differ: {0} ~ {1}")
    @CsvSource(delimiterString = " ~~ ", quoteCharacter = '`', value = {
        "SELECT * FROM t WHERE id = 1 ~~ SELECT * FROM u WHERE id = 1",
        "SELECT * FROM t WHERE id = 1 ~~ SELECT * FROM t WHERE uid = 1",
        "SELECT * FROM t WHERE id = 1 ~~ SELECT * FROM t WHERE id > 1",
        "SELECT a, b FROM t ~~ SELECT ab FROM t",
        "SELECT * FROM \"T\" ~~ SELECT * FROM T",
        "SELECT a FROM t WHERE x IN (1, 2) ~~ SELECT a FROM t WHERE x IN (1, y)",
        "SELECT a - 1 FROM t ~~ SELECT a, -1 FROM t",
    })
    void fingerprintDiffersForDifferentStructure(String a, String b) {
        assertThat(PG.normalize(a).fingerprint()).isNotEqualTo(PG.normalize(b).fingerprint());
    }

    @Test
    void longTextIsCutAtATokenBoundaryButFingerprintedWhole() {
        String sql = "SELECT a, b, c FROM some_table WHERE x = 1";
        SqlNormalizer narrow = new SqlNormalizer(SqlDialect.POSTGRESQL, 20);
        NormalizedStatement cut = narrow.normalize(sql);
        assertThat(cut.text()).isEqualTo("SELECT a, b, c FROM\u2026").hasSize(20);
        assertThat(cut.fingerprint()).isEqualTo(PG.normalize(sql).fingerprint());
        assertThat(cut.operation()).isEqualTo("SELECT");
        // exactly at the limit: not cut
        assertThat(new SqlNormalizer(SqlDialect.POSTGRESQL, 8).normalize("SELECT ?").text()).isEqualTo("SELECT ?");
        assertThat(new SqlNormalizer(SqlDialect.POSTGRESQL, 7).normalize("SELECT ?").text()).isEqualTo("SELECT\u2026");
        // not even the first token fits
        assertThat(new SqlNormalizer(SqlDialect.POSTGRESQL, 1).normalize("SELECT 1").text()).isEqualTo("\u2026");
    }

    @Test
    void rejectsANonPositiveLimit() {
        assertThatThrownBy(() -> new SqlNormalizer(SqlDialect.MYSQL, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxTextChars: 0 (expected: >= 1)");
    }

    @Test
    void nullIsAnEmptyStatement() {
        NormalizedStatement n = PG.normalize(null);
        assertThat(n.text()).isEmpty();
        assertThat(n.operation()).isEqualTo("UNKNOWN");
        assertThat(PG.split(null)).isEmpty();
    }

    @Test
    void unterminatedInputNormalisesWithoutLeakingTheValue() {
        assertThat(PG.normalize("SELECT * FROM t WHERE s = 'secret").text()).isEqualTo("SELECT * FROM t WHERE s = ?");
        assertThat(PG.normalize("SELECT $x$ secret").text()).isEqualTo("SELECT ?");
        assertThat(PG.normalize("SELECT 1 /* secret").text()).isEqualTo("SELECT ?");
        assertThat(MY.normalize("SELECT \"secret\\").text()).isEqualTo("SELECT ?");
    }

    @Test
    void hostileShapesStayLinearAndBounded() {
        String openers = "/*!".repeat(100_000);
        assertThat(MY.normalize(openers).text()).isEmpty();
        assertThat(MY.split(openers)).containsExactly(openers);
        String parens = "(".repeat(100_000) + "SELECT 1";
        assertThat(PG.normalize(parens).operation()).isEqualTo("SELECT");
        assertThat(PG.split(parens + "; SELECT 2")).hasSize(1); // psql: an unclosed ( swallows the rest
        String nested = "/*".repeat(50_000) + "*/".repeat(50_000) + " SELECT 1";
        assertThat(PG.normalize(nested).text()).isEqualTo("SELECT ?");
        StringBuilder many = new StringBuilder("INSERT INTO t VALUES ");
        for (int i = 0; i < 50_000; i++) {
            many.append(i == 0 ? "" : ", ").append("(").append(i).append(", 'v").append(i).append("')");
        }
        NormalizedStatement n = PG.normalize(many.toString());
        assertThat(n.text()).isEqualTo("INSERT INTO t VALUES (?, ?)");
        assertThat(n.fingerprint()).isEqualTo(PG.normalize("insert into t values (1, 'x')").fingerprint());
    }
}
