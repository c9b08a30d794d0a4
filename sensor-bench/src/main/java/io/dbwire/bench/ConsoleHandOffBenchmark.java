package io.dbwire.bench;

import io.dbwire.core.record.DatabaseProtocol;
import io.dbwire.core.record.Endpoint;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordSink;
import io.dbwire.core.record.RequestInfo;
import io.dbwire.core.record.ResponseInfo;
import io.dbwire.core.record.SessionInfo;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.daemon.console.traffic.ConsoleFeed;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pipeline thread's whole cost of the web console: handing one record to the console's feed while the
 * console thread folds what arrives. Nanoseconds per record; compare with the engine's time per record in
 * {@link PipelineBenchmark}. The teardown prints how many records the feed dropped (a full queue is cheaper, so
 * a figure with many drops flatters). Run: {@code java -jar sensor-bench/target/benchmarks.jar ConsoleHandOffBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConsoleHandOffBenchmark {
    private ConsoleFeed feed;
    private RecordSink sink;
    private TransactionRecord[] records;
    private int next;
    private long offered;

    @Setup(Level.Trial)
    public void start() {
        feed = new ConsoleFeed(65_536);
        sink = feed.records();
        records = new TransactionRecord[1_024];
        for (int i = 0; i < records.length; i++) {
            records[i] = TransactionRecord.builder(RecordKind.STATEMENT, DatabaseProtocol.POSTGRESQL)
                    .ts(1_700_000_000_000_000L + i * 1_000L).connection(i % 64, 4242)
                    .client(new Endpoint("10.0.1." + (i % 50), 40_000 + i)).server(new Endpoint("10.0.0." + (i % 4), 5432))
                    .session(new SessionInfo("user" + (i % 10), "shop", "orders-api", false, false))
                    .statement(new StatementInfo("SELECT id FROM t" + (i % 100) + " WHERE id = ?", "fp" + (i % 100), "SELECT"))
                    .request(new RequestInfo(60)).response(new ResponseInfo(1L, null, 120, 200L, 250L)).build();
        }
    }

    @Benchmark
    public void handOff() {
        TransactionRecord r = records[next];
        next = (next + 1) & (records.length - 1);
        offered++;
        sink.accept(r);
    }

    @TearDown(Level.Trial)
    public void stop() {
        System.out.printf("%nconsole hand-off: %d records offered, %d dropped (queue full), %d folded by the console"
                + " thread%n", offered, feed.dropped(), offered - feed.dropped());
        feed.close();
    }
}
