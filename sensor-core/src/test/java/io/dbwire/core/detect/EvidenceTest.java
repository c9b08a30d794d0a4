package io.dbwire.core.detect;

import static io.dbwire.core.detect.TestRecords.PG;
import static org.assertj.core.api.Assertions.assertThat;

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
}
