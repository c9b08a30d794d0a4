package io.dbwire.core.protocol.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecurringStatementsTest {
    private final SqlNormalizer plain = SqlNormalizer.postgres();
    private final RecurringStatements cached = new RecurringStatements(plain);

    @Test
    void answersAreAlwaysTheWrappedNormalisersOwn() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<String> recurring = new ArrayList<>();
        for (int i = 0; i < 600; i++) { // more texts than slots: collisions and replacements
            recurring.add("SELECT c" + i + " FROM t" + (i % 7) + " WHERE id = $1; COMMIT");
        }
        for (int i = 0; i < 50_000; i++) {
            String sql = random.nextInt(4) == 0
                    ? "INSERT INTO t VALUES (" + random.nextInt() + ", 'x" + i + "')" // never twice
                    : new String(recurring.get(random.nextInt(recurring.size()))); // equal, not the same object
            assertThat(cached.normalize(sql)).as("seed %d: %s", seed, sql).isEqualTo(plain.normalize(sql));
            assertThat(cached.split(sql)).as("seed %d: %s", seed, sql).isEqualTo(plain.split(sql));
        }
    }

    @Test
    void aTextIsKeptFromItsSecondSighting() {
        String sql = "SELECT a FROM t";
        NormalizedStatement first = cached.normalize(sql);
        NormalizedStatement second = cached.normalize(new String(sql));
        NormalizedStatement third = cached.normalize(new String(sql));
        assertThat(second).isNotSameAs(first);
        assertThat(third).isSameAs(second);
        cached.split(sql);
        List<String> kept = cached.split(sql);
        assertThat(cached.split(sql)).isSameAs(kept);
        assertThatThrownBy(() -> kept.add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aTextSeenOnceIsNotKept() {
        for (int i = 0; i < 10_000; i++) {
            String sql = "SELECT " + i;
            NormalizedStatement n = cached.normalize(sql);
            assertThat(cached.normalize(sql)).as("second sighting of %s", sql).isNotSameAs(n);
        }
    }

    @Test
    void keepsTheDialect() {
        assertThat(new RecurringStatements(SqlNormalizer.mysql()).dialect()).isEqualTo(SqlDialect.MYSQL);
    }
}
