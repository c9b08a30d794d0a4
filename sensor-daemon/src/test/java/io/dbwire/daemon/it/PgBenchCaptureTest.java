package io.dbwire.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * pgbench against a real PostgreSQL 15: {@code pgbench -i} (DDL and a COPY FROM STDIN of 100 000 rows), then
 * the TPC-B-like script in each query mode (simple Query; extended with unnamed statements; prepared with
 * named statements), two clients each. Every statement the server logged must be one record, in order, with
 * its outcome; the figures per mode are printed for the closing note.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgBenchCaptureTest {
    private static final Path PGBENCH = Path.of("/usr/lib/postgresql/15/bin/pgbench");
    static final String[] MODES = {"simple", "extended", "prepared"};
    /** Transactions per client and mode: 2 clients x 1000 x 7 statements = 14 000 statements a mode. */
    private static final int TRANSACTIONS = 1000;

    private PostgresServer server;
    private ServerLog log;
    private CaptureReplay.Result replay;

    @BeforeAll
    void capture() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(PostgresServer.available() && LoopbackCapture.available() && Files.isExecutable(PGBENCH),
                    "needs root, tcpdump and Debian's postgresql-15 with pgbench (CI installs them)");
        }
        Path work = Files.createTempDirectory("dbwire-pgbench");
        server = PostgresServer.start();
        Path capture = work.resolve("pgbench.pcap");
        try (LoopbackCapture tcpdump = LoopbackCapture.start(server.port(), capture, 128 * 1024)) {
            pgbench("init", "-i", "-q");
            for (String mode : MODES) {
                pgbench(mode, "-n", "-M", mode, "-c", "2", "-t", Integer.toString(TRANSACTIONS));
            }
            assertThat(tcpdump.stopCountingDrops()).as("packets the capture itself lost").isZero();
        }
        server.stop();
        log = ServerLog.read(server.csvLog());
        SensorConfig config = PgLogMatch.fullTextConfig(server.port());
        replay = CaptureReplay.replay(capture, config);
    }

    @AfterAll
    void cleanUp() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private void pgbench(String application, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(PGBENCH.toString(), "-h", "127.0.0.1",
                "-p", Integer.toString(server.port()), "-U", PostgresServer.APP_USER));
        command.addAll(List.of(args));
        command.add(PostgresServer.DATABASE);
        ExternalProcess.Result r = ExternalProcess.run(command, Map.of("PGPASSWORD", PostgresServer.APP_PASSWORD,
                "PGSSLMODE", "disable", "PGAPPNAME", "pgbench-" + application), null, 120);
        assertThat(r.exitCode()).as("pgbench %s:%n%s", application, r.output()).isZero();
    }

    /** Client ports of the connections a pgbench run made, from the server log. */
    private Map<Integer, ServerLog.Connection> connectionsOf(String application) {
        Map<Integer, ServerLog.Connection> out = new LinkedHashMap<>();
        log.connections.forEach((port, c) -> {
            if (c.application.equals("pgbench-" + application) && c.authorized) {
                out.put(port, c);
            }
        });
        return out;
    }

    @Test
    void everyLoggedStatementIsOneRecordInEachMode() {
        StringBuilder figures = new StringBuilder();
        for (String mode : new String[] {"init", "simple", "extended", "prepared"}) {
            int logged = 0;
            int recorded = 0;
            int durations = 0;
            List<Long> excess = new ArrayList<>();
            Map<Integer, ServerLog.Connection> conns = connectionsOf(mode);
            assertThat(conns).as(mode).isNotEmpty();
            for (Map.Entry<Integer, ServerLog.Connection> e : conns.entrySet()) {
                List<TransactionRecord> records = PgLogMatch.statements(replay.records(), e.getKey());
                String what = "pgbench " + mode + " port " + e.getKey();
                recorded += PgLogMatch.assertSameStatements(what, e.getValue(), records);
                logged += PgLogMatch.expected(e.getValue()).size();
                durations += PgLogMatch.assertDurations(what, e.getValue(), records);
                excess.addAll(PgLogMatch.durationExcessUs(e.getValue(), records));
            }
            assertThat(recorded).as("records vs logged statements, pgbench %s", mode).isEqualTo(logged);
            figures.append(String.format("pgbench %-8s connections=%d logged=%d records=%d durations-compared=%d"
                    + " record-minus-server duration: %s%n", mode, conns.size(), logged, recorded, durations,
                    PgLogMatch.percentiles(excess)));
        }
        System.out.print(figures);
        System.out.println("pgbench replay: " + replay.summary());
    }

    @Test
    void eachModeRanTheExpectedNumberOfTransactions() {
        for (String mode : MODES) {
            long commits = connectionsOf(mode).keySet().stream()
                    .flatMap(p -> PgLogMatch.statements(replay.records(), p).stream())
                    .filter(r -> PgLogMatch.clean(r.statement().text()).equalsIgnoreCase("END")).count();
            assertThat(commits).as(mode).isEqualTo(2L * TRANSACTIONS);
        }
    }

    @Test
    void copyOfTheInitialLoadCountsItsRows() {
        TransactionRecord copy = connectionsOf("init").keySet().stream()
                .flatMap(p -> PgLogMatch.statements(replay.records(), p).stream())
                .filter(r -> r.statement().operation().equals("COPY")).findFirst().orElseThrow();
        assertThat(copy.status()).isEqualTo(RecordStatus.OK);
        assertThat(copy.response().rowsAffected()).isEqualTo(100_000L);
        assertThat(copy.request().bytes()).as("COPY data is the request").isGreaterThan(100_000L * 10);
    }

    @Test
    void loginsAreOkAndIdentityIsKnown() {
        List<TransactionRecord> logins = replay.records().stream().filter(r -> r.kind() == RecordKind.LOGIN)
                .toList();
        assertThat(logins).isNotEmpty().allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(RecordStatus.OK);
            assertThat(r.session().user()).isEqualTo(PostgresServer.APP_USER);
            assertThat(r.session().application()).startsWith("pgbench-");
        });
        assertThat(logins).hasSize((int) log.connections.values().stream().filter(c -> c.authorized).count());
    }
}
