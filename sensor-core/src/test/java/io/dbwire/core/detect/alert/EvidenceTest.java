package io.dbwire.core.detect.alert;

import static io.dbwire.core.detect.TestRecords.PG;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.TestRecords;
import org.junit.jupiter.api.Test;

class EvidenceTest {

    @Test
    void quotedLiteralsArePasswordsUntilProvenOtherwise() {
        assertThat(Evidence.maskQuoted("ALTER ROLE app PASSWORD 'hunter2'")).isEqualTo("ALTER ROLE app PASSWORD ?");
        assertThat(Evidence.maskQuoted("CREATE USER u IDENTIFIED BY \"s3cr3t\"")).isEqualTo("CREATE USER u IDENTIFIED BY ?");
        assertThat(Evidence.maskQuoted("SELECT 'it''s', 'a\\'b' FROM t")).isEqualTo("SELECT ?, ? FROM t");
        assertThat(Evidence.maskQuoted("SELECT 'unterminated secret")).isEqualTo("SELECT ?");
        assertThat(Evidence.maskQuoted("SELECT ? FROM t WHERE a = ?")).isEqualTo("SELECT ? FROM t WHERE a = ?");
    }

    @Test
    void longStatementsAreCut() {
        String sql = "SELECT " + "a, ".repeat(200) + "b FROM t";
        String e = Evidence.of(TestRecords.statement(0, "192.0.2.1", PG, "app", sql));
        assertThat(e).hasSize(Evidence.MAX_STATEMENT_CHARS + 1).endsWith("…");
    }

    @Test
    void loginEvidenceNamesUserAndCodeOnly() {
        assertThat(Evidence.of(TestRecords.failedLogin(0, "192.0.2.1", PG, null, "28P01")))
                .isEqualTo("login failed 28P01 user=?");
        assertThat(Evidence.of(TestRecords.okLogin(0, "192.0.2.1", PG, "app"))).isEqualTo("login ok user=app");
    }

    @Test
    void dollarQuotesAndNumbersAreMaskedInFullText() {
        assertThat(Evidence.maskDollarQuoted("ALTER ROLE app PASSWORD $$hunter2$$")).isEqualTo("ALTER ROLE app PASSWORD ?");
        assertThat(Evidence.maskDollarQuoted("DO $fn$ secret $fn$; SELECT $1")).isEqualTo("DO ?; SELECT $1");
        assertThat(Evidence.maskDollarQuoted("SELECT $x$ unterminated")).isEqualTo("SELECT ?");
        assertThat(Evidence.maskNumbers("SELECT * FROM t1 WHERE id = 4111111111111111 AND a.b2 > 12.5 LIMIT 0x1F"))
                .isEqualTo("SELECT * FROM t1 WHERE id = ? AND a.b2 > ? LIMIT ?");
        assertThat(Evidence.maskNumbers("SELECT $1, $2")).isEqualTo("SELECT $1, $2");
        assertThat(Evidence.of(TestRecords.statement(0, "192.0.2.1", PG, "app", "UPDATE cards SET pan = 4111111111111111 WHERE id = 7")))
                .isEqualTo("UPDATE cards SET pan = ? WHERE id = ?");
    }
}
