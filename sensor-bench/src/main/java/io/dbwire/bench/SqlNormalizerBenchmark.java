package io.dbwire.bench;

import io.dbwire.core.protocol.sql.NormalizedStatement;
import io.dbwire.core.protocol.sql.SqlNormalizer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Normalisation and fingerprinting cost per statement (it runs once per record). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SqlNormalizerBenchmark {
    @Param({
        "SELECT abalance FROM pgbench_accounts WHERE aid = 48213;",
        "UPDATE pgbench_accounts SET abalance = abalance + -4211 WHERE aid = 87331;",
        "SELECT o.id, o.total, c.email FROM orders o JOIN customers c ON c.id = o.customer_id "
                + "WHERE o.created_at > '2026-01-01' AND o.status IN ('paid', 'shipped', 'returned') "
                + "ORDER BY o.created_at DESC LIMIT 50"
    })
    public String sql;

    private final SqlNormalizer normalizer = SqlNormalizer.postgres();

    @Benchmark
    public NormalizedStatement normalize() {
        return normalizer.normalize(sql);
    }
}
