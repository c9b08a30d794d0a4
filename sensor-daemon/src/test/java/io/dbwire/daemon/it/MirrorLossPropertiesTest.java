package io.dbwire.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.record.TransactionRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Issue 11 as a property: for any loss pattern (rate, seed, reordering delay) applied to a real capture, every
 * record that is not {@code incomplete} equals the clean capture's record at the same position (same text,
 * operation, status, error, rows, time) — a loss may cost records, never make one say something else.
 * The capture: pgbench in extended mode and psql simple queries against a real PostgreSQL 15.
 */
class MirrorLossPropertiesTest {
    private static final Path PGBENCH = Path.of("/usr/lib/postgresql/15/bin/pgbench");
    private static Path work;
    private static Path capture;
    private static SensorConfig config;
    private static List<TransactionRecord> clean;

    @BeforeContainer
    static void captureOnce() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        if (!ci && !(PostgresServer.available() && LoopbackCapture.available() && Files.isExecutable(PGBENCH))) {
            return; // every try is skipped below
        }
        work = Files.createTempDirectory("dbwire-loss-props");
        capture = work.resolve("capture.pcap");
        try (PostgresServer pg = PostgresServer.start()) {
            config = PgLogMatch.fullTextConfig(pg.port());
            env(pg, List.of(PGBENCH.toString(), "-i", "-q"));
            try (LoopbackCapture tcpdump = LoopbackCapture.start(pg.port(), capture, 64 * 1024)) {
                env(pg, List.of(PGBENCH.toString(), "-n", "-M", "extended", "-c", "2", "-t", "150"));
                StringBuilder script = new StringBuilder("CREATE TABLE p (id int, v text);\n");
                for (int i = 0; i < 150; i++) {
                    script.append("INSERT INTO p VALUES (").append(i).append(", 'x') \\; SELECT count(*) FROM p;\n");
                    if (i % 30 == 0) {
                        script.append("SELECT g FROM generate_series(1, 20000) g;\n");
                    }
                }
                Path file = work.resolve("script.sql");
                Files.writeString(file, script);
                ExternalProcess.chownToPostgres(work);
                assertThat(pg.psql("disable", PostgresServer.APP_PASSWORD, "props", List.of("-f", file.toString()),
                        null).exitCode()).isZero();
                assertThat(tcpdump.stopCountingDrops()).isZero();
            }
        }
        clean = CaptureReplay.replay(capture, config).records();
    }

    private static void env(PostgresServer pg, List<String> command) throws Exception {
        List<String> c = new java.util.ArrayList<>(command);
        c.addAll(List.of("-h", "127.0.0.1", "-p", Integer.toString(pg.port()), "-U", PostgresServer.APP_USER,
                PostgresServer.DATABASE));
        ExternalProcess.Result r = ExternalProcess.run(c, Map.of("PGPASSWORD", PostgresServer.APP_PASSWORD,
                "PGSSLMODE", "disable"), null, 300);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    @AfterContainer
    static void cleanUp() throws Exception {
        if (work != null) {
            ExternalProcess.run(List.of("rm", "-rf", work.toString()), Map.of(), null, 60);
        }
    }

    @Property(tries = 15, seed = "20261205")
    void everyRecordThatIsNotIncompleteIsTheCleanOne(@ForAll @DoubleRange(min = 0.0, max = 0.08) double loss,
            @ForAll long seed, @ForAll @IntRange(min = 0, max = 3_000) int maxDelayMicros) throws Exception {
        Assume.that(clean != null);
        Path impaired = work.resolve("impaired.pcap");
        LossyPcap.impair(capture, impaired, new LossyPcap.Impairment(loss, 0.03, maxDelayMicros, seed));
        LossTally t = new LossTally(maxDelayMicros + 1_000L);
        t.add(clean, CaptureReplay.replay(impaired, config).records());
        assertThat(t.wrong).as("records that say something else: %s%n%s", t.wrongExamples, t.firstWrongContext)
                .isZero();
        assertThat(t.timeOff).as("records not at their own time: %s", t.timeExamples).isZero();
    }
}
