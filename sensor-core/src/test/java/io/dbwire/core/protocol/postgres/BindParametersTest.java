package io.dbwire.core.protocol.postgres;

import static io.dbwire.core.protocol.postgres.PgWireBuilder.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.config.StatementMode;
import io.dbwire.core.record.TransactionRecord;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bind values as literals in the statement text, only when configured, and then subject to the statement mode. */
class BindParametersTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "SELECT $1, $2                          | SELECT 'a', NULL",
        "SELECT '$1', $1                        | SELECT '$1', 'a'",
        "SELECT \"$1\" FROM t WHERE x = $1      | SELECT \"$1\" FROM t WHERE x = 'a'",
        "SELECT $1 -- $2\\n                     | SELECT 'a' -- $2\\n",
        "SELECT /* $1 /* $2 */ $1 */ $2         | SELECT /* $1 /* $2 */ $1 */ NULL",
        "SELECT $$ $1 $$, $body$ $2 $body$, $1  | SELECT $$ $1 $$, $body$ $2 $body$, 'a'",
        "SELECT E'\\' $1', $1                   | SELECT E'\\' $1', 'a'",
        "SELECT a$1, $1                         | SELECT a$1, 'a'",
        "SELECT $3, $10                         | SELECT $3, $10",
        "SELECT 'it''s $1', $1                  | SELECT 'it''s $1', 'a'",
    })
    void substitutesParametersOutsideStringsCommentsAndDollarQuotes(String sql, String expected) {
        String[] literals = {"'a'", "NULL", null};
        assertThat(BindParameters.substitute(sql.replace("\\n", "\n"), literals)).isEqualTo(expected.replace("\\n", "\n"));
    }

    @Test
    void valuesAreQuotedWithDoubledQuotes() {
        assertThat(BindParameters.quote("O'Brien")).isEqualTo("'O''Brien'");
        assertThat(BindParameters.quote("C:\\dir")).isEqualTo("'C:\\dir'");
    }

    private static SessionScript.Result run(ProtocolConfig config, byte[] bind) {
        return run(config, bind, new FakeNormalizer());
    }

    private static SessionScript.Result run(ProtocolConfig config, byte[] bind,
            io.dbwire.core.protocol.sql.StatementNormalizer normalizer) {
        return SessionScript.connection()
                .client(0, startup("user", "alice", "database", "shop"))
                .server(100, authOk(), readyForQuery('I'))
                .client(1_000, parse("s1", "SELECT * FROM t WHERE name = $1 AND id = $2 AND blob = $3"), sync())
                .server(1_100, parseComplete(), readyForQuery('I'))
                .client(2_000, bind, execute("", 0), sync())
                .server(2_100, bindComplete(), commandComplete("SELECT 0"), readyForQuery('I'))
                .run(Integer.MAX_VALUE, config, normalizer);
    }

    private static final byte[] BIND = bindWithFormats("", "s1", new int[] {0, 0, 1},
            "O'Brien".getBytes(StandardCharsets.UTF_8), null, new byte[] {0, 0, 0, 7});

    private static String text(SessionScript.Result r) {
        TransactionRecord last = r.records().get(r.records().size() - 1);
        return last.statement().text();
    }

    @Test
    void offByDefault() {
        ProtocolConfig full = SessionScript.config(StatementMode.FULL, 16_384, 1 << 20);
        assertThat(full.bindParameters()).isFalse();
        assertThat(ProtocolConfig.defaults().bindParameters()).isFalse();
        assertThat(text(run(full, BIND))).isEqualTo("SELECT * FROM t WHERE name = $1 AND id = $2 AND blob = $3");
    }

    @Test
    void fullModeShowsTextValuesNullAndLeavesBinaryValuesAsParameters() {
        ProtocolConfig full = SessionScript.config(StatementMode.FULL, 16_384, 1 << 20).withBindParameters(true);
        SessionScript.Result r = run(full, BIND);
        assertThat(text(r)).isEqualTo("SELECT * FROM t WHERE name = 'O''Brien' AND id = NULL AND blob = $3");
        assertThat(r.records().get(r.records().size() - 1).statement().fingerprint())
                .isEqualTo(FakeNormalizer.fingerprint("SELECT * FROM t WHERE name = 'O''Brien' AND id = NULL AND blob = $3"));
    }

    @Test
    void normalizedModeRedactsThemLikeLiterals() {
        ProtocolConfig normalized = SessionScript.config(StatementMode.NORMALIZED, 16_384, 1 << 20)
                .withBindParameters(true);
        io.dbwire.core.protocol.sql.SqlNormalizer sql = io.dbwire.core.protocol.sql.SqlNormalizer.postgres();
        byte[] bind = bindWithFormats("", "s1", new int[] {0, 0, 1}, "O'Brien".getBytes(StandardCharsets.UTF_8),
                "5".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 7});
        SessionScript.Result with = run(normalized, bind, sql);
        SessionScript.Result without = run(normalized.withBindParameters(false), bind, sql);
        assertThat(text(with)).isEqualTo("SELECT * FROM t WHERE name = ? AND id = ? AND blob = $3");
        // The fingerprint counts parameters as values: the same with or without the values put in.
        assertThat(with.records().get(with.records().size() - 1).statement().fingerprint())
                .isEqualTo(without.records().get(without.records().size() - 1).statement().fingerprint());
    }

    @Test
    void offModeKeepsNoText() {
        ProtocolConfig off = SessionScript.config(StatementMode.OFF, 16_384, 1 << 20).withBindParameters(true);
        SessionScript.Result r = run(off, BIND);
        assertThat(text(r)).isNull();
        assertThat(r.json()).noneMatch(j -> j.contains("Brien"));
    }

    @Test
    void valuesCutByTheKeptPrefixOrTooLongStayParameters() {
        ProtocolConfig full = SessionScript.config(StatementMode.FULL, 64, 1 << 20).withBindParameters(true);
        byte[] longValue = "x".repeat(100).getBytes(StandardCharsets.UTF_8); // above maxStatementBytes
        SessionScript.Result r = SessionScript.connection()
                .client(0, startup("user", "alice"))
                .server(100, authOk(), readyForQuery('I'))
                .client(1_000, parse("s", "SELECT $1, $2"), bindWithFormats("", "s", new int[0], longValue,
                        "7".getBytes(StandardCharsets.UTF_8)), execute("", 0), sync())
                .server(1_100, parseComplete(), bindComplete(), commandComplete("SELECT 1"), readyForQuery('I'))
                .run(Integer.MAX_VALUE, full);
        assertThat(text(r)).isEqualTo("SELECT $1, '7'");
    }

    @Test
    void hostileBindBodiesNeverThrow() {
        PgReader reader = new PgReader();
        byte[][] bodies = {
            {}, {0}, {0, 1}, {0, 1, 0}, {(byte) 0xff, (byte) 0xff}, {0, 0, (byte) 0xff, (byte) 0xff},
            {0, 0, 0, 1, (byte) 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}, {0, 2, 0, 0, 0, 1, 0, 3, 0, 0, 0, 0},
        };
        for (byte[] b : bodies) {
            String[] literals = BindParameters.literals(reader.reset(b, b.length, false), 100);
            if (literals != null) {
                assertThat(BindParameters.substitute("SELECT $1, $2, $3", literals)).startsWith("SELECT");
            }
        }
    }
}
