package io.dbwire.core.protocol.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Seeded properties: total on any input, and no literal ever survives normalisation. */
class SqlNormalizerPropertiesTest {

    private static final String SQLISH = "'\"`$\\;-/*#@?:.,()[]&|<>=!+eEbBxXnNuU0123456789 \n\t\rabc_\u00e9\u2028";

    /** Templates without any digit of their own: after normalisation the text must hold no digit at all. */
    private static final String[][] TEMPLATES = {
        {"SELECT * FROM t WHERE a = %s", "1"},
        {"SELECT a, b FROM t WHERE c IN (%s, %s) ORDER BY a LIMIT %s", "1"},
        {"INSERT INTO t (a, b) VALUES (%s, %s), (%s, %s)", "1"},
        {"UPDATE t SET a = a + %s WHERE id = %s AND b <> %s", "1"},
        {"SELECT %s || x FROM t -- trailing", "1"},
        {"DELETE FROM t WHERE a BETWEEN %s AND %s; SELECT %s; /* c */ SELECT f(%s, x) FROM t", "3"},
        {"SELECT x FROM t WHERE y = ANY(ARRAY[%s, %s]) AND z = %s", "1"},
        {"WITH w AS (SELECT %s AS v) SELECT v FROM w WHERE v > %s;", "1"},
    };

    @Property(tries = 1000, seed = "20261126")
    void neverThrowsAndKeepsItsInvariants(@ForAll("anyText") String sql) {
        for (SqlNormalizer n : List.of(new SqlNormalizer(SqlDialect.POSTGRESQL, 40), new SqlNormalizer(SqlDialect.MYSQL, 40))) {
            NormalizedStatement s = n.normalize(sql);
            assertThat(s.fingerprint()).matches("[0-9a-f]{16}");
            assertThat(s.operation()).isNotBlank();
            assertThat(s.text().length()).isLessThanOrEqualTo(40);
            int from = 0;
            for (String statement : n.split(sql)) {
                // trimmed of ASCII white space and control characters only: U+2028 is an identifier character
                assertThat(statement).isNotEmpty();
                assertThat(statement.charAt(0)).isGreaterThan(' ');
                assertThat(statement.charAt(statement.length() - 1)).isGreaterThan(' ');
                int at = sql.indexOf(statement, from);
                assertThat(at).as("statements are in-order pieces of the input").isGreaterThanOrEqualTo(from);
                from = at + statement.length();
            }
        }
    }

    @Property(tries = 1000, seed = "20261126")
    void tokensCoverTheInputInOrder(@ForAll("anyText") String sql) {
        for (SqlDialect dialect : SqlDialect.values()) {
            SqlLexer lx = new SqlLexer(dialect, sql);
            int previousEnd = 0;
            while (lx.next()) {
                assertThat(lx.end()).isGreaterThan(lx.start());
                assertThat(sql.substring(previousEnd, lx.start()).chars().allMatch(c -> c <= ' ')).isTrue();
                previousEnd = lx.end();
            }
            assertThat(sql.substring(previousEnd).isBlank() || sql.substring(previousEnd).chars().allMatch(c -> c <= ' '))
                    .isTrue();
        }
    }

    @Property(tries = 1000, seed = "20261126")
    void postgresLiteralsNeverLeak(@ForAll("templateIndex") int template, @ForAll("postgresLiteral") Literal literal) {
        assertNoLeak(SqlNormalizer.postgres(), template, literal);
    }

    @Property(tries = 1000, seed = "20261126")
    void mysqlLiteralsNeverLeak(@ForAll("templateIndex") int template, @ForAll("mysqlLiteral") Literal literal) {
        assertNoLeak(SqlNormalizer.mysql(), template, literal);
    }

    /** A literal as written in SQL, and the value inside it that must not reach the normalised text. */
    record Literal(String sql, String content) {}

    private static void assertNoLeak(SqlNormalizer n, int template, Literal literal) {
        String sql = TEMPLATES[template][0].replace("%s", literal.sql());
        String text = n.normalize(sql).text();
        assertThat(text).as("normalised %s", sql).doesNotContainPattern("[0-9]");
        if (literal.content().strip().length() >= 3) {
            assertThat(text).doesNotContain(literal.content().strip());
        }
        assertThat(n.split(sql)).as("split %s", sql).hasSize(Integer.parseInt(TEMPLATES[template][1]));
        assertThat(n.normalize(sql).fingerprint()).as("fingerprint of %s", sql)
                .isEqualTo(n.normalize(TEMPLATES[template][0].replace("%s", "1")).fingerprint());
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars(SQLISH).ofMaxLength(80),
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.of("$", "$a", "$a$", "/*", "--", "E'", "U&", "U&'", "x'", "0x", "@", "@@", "'", "\"", "`", "\\")
                        .list().ofMaxSize(12).map(l -> String.join("", l)));
    }

    @Provide
    Arbitrary<Integer> templateIndex() {
        return Arbitraries.integers().between(0, TEMPLATES.length - 1);
    }

    /** Content always holds a digit, plus quotes, backslashes and comment marks a careless lexer would trip on. */
    @Provide
    Arbitrary<String> content() {
        return Combinators.combine(
                        Arbitraries.strings().withChars("abcXYZ '\"\\;$-/*#\n\u00e9`").ofMaxLength(12),
                        Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(6))
                .as((text, digits) -> text + digits);
    }

    @Provide
    Arbitrary<Literal> postgresLiteral() {
        return Arbitraries.oneOf(numbers(true), quoted(
                c -> "'" + c.replace("'", "''") + "'",
                c -> "E'" + c.replace("\\", "\\\\").replace("'", "\\'") + "'",
                c -> "U&'" + c.replace("\\", "\\\\").replace("'", "''") + "'",
                c -> "$$" + c.replace("$", "") + "$$",
                c -> "$q$" + c.replace("$", "") + "$q$"));
    }

    @Provide
    Arbitrary<Literal> mysqlLiteral() {
        return Arbitraries.oneOf(numbers(false), quoted(
                c -> "'" + c.replace("\\", "\\\\").replace("'", "\\'") + "'",
                c -> "\"" + c.replace("\\", "\\\\").replace("\"", "\\\"") + "\"",
                c -> "_utf8mb4'" + c.replace("\\", "\\\\").replace("'", "''") + "'",
                c -> "N'" + c.replace("\\", "\\\\").replace("'", "''") + "'"));
    }

    @SafeVarargs
    private Arbitrary<Literal> quoted(Function<String, String>... forms) {
        return Combinators.combine(Arbitraries.of(forms), content()).as((form, c) -> new Literal(form.apply(c), c));
    }

    private static Arbitrary<Literal> numbers(boolean postgres) {
        Arbitrary<String> common = Arbitraries.oneOf(
                Arbitraries.longs().between(0, Long.MAX_VALUE).map(Object::toString),
                Arbitraries.longs().between(1, 1_000_000_000L).map(v -> "-" + v),
                Arbitraries.doubles().between(-1e9, 1e9).map(Object::toString),
                Arbitraries.integers().between(0, 9999).map(v -> "." + v + "e-" + (v % 30)),
                Arbitraries.integers().between(0, Integer.MAX_VALUE).map(v -> "0x" + Integer.toHexString(v)),
                Arbitraries.integers().between(0, 255).map(v -> "B'" + Integer.toBinaryString(v) + "'"),
                Arbitraries.integers().between(0, 65535).map(v -> "X'" + Integer.toHexString(v) + "'"));
        Arbitrary<String> numbers = postgres
                ? Arbitraries.oneOf(common, Arbitraries.integers().between(1, 9999).map(v -> v + "_" + (100 + v % 900)))
                : common;
        return numbers.map(n -> new Literal(n, n.replace("-", "")));
    }
}
