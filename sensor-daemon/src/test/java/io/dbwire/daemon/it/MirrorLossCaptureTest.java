package io.dbwire.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.config.StatementMode;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Mirror loss on real captures (issue 11): each workload is captured clean from a real server, its records are
 * checked against the server's own statement log, then the capture is replayed again with payload-carrying
 * packets removed at random (several rates, several fixed seeds) and some packets delayed by up to a few
 * milliseconds, and the records are compared in order with the clean ones ({@link LossTally}). No record may
 * carry a result that is not its own; the exact share must reach the floors of issue 11; exact records keep
 * their own packets' time. The table is printed for docs/reassembly.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MirrorLossCaptureTest {
    private static final Path PGBENCH = Path.of("/usr/lib/postgresql/15/bin/pgbench");
    private static final int CAPTURE_BUFFER_KIB = 128 * 1024;
    static final double[] RATES = {0.005, 0.02, 0.05};
    /** Loss patterns per rate; {@code -Ddbwire.loss.seeds=1,2,3} tries others. */
    static final long[] SEEDS = java.util.Arrays.stream(System.getProperty("dbwire.loss.seeds", "11,23,37").split(","))
            .mapToLong(x -> Long.parseLong(x.trim())).toArray();
    private static final double REORDER_RATE = 0.03;
    private static final long MAX_DELAY_MICROS = 3_000;
    /**
     * Floors for the exact share (issue 11's definition: operation, rows, error code, in order, per connection), per
     * loss rate: the issue's 98.5 % at 0.5 %, and above its 93 % / 80 % at 2 % / 5 % where the sensor reaches more
     * (measured 95.9–96.5 % and 89.6–90.4 % over many captures and seeds, docs/reassembly.md).
     */
    private static final Map<Double, Double> FLOORS = Map.of(0.005, 0.985, 0.02, 0.945, 0.05, 0.87);
    /**
     * sysbench with prepared statements on MariaDB: the text of a statement travels once, in its COM_STMT_PREPARE,
     * and neither an OK nor a result set names the statement's verb. A lost PREPARE (one of ~40 packets per
     * connection) leaves every later execution of it (up to 750 in this workload) without text and operation:
     * honest records with the right result, counted {@code unknown}, not exact. Whether a PREPARE is among the lost
     * packets is chance, so the exact share swings by up to ~8 % per lost PREPARE (68–86 % measured at 2 % loss); its
     * floors are lower and the
     * issue's floors apply to exact + unknown (records whose only flaw is what a lost PREPARE took).
     */
    private static final Map<Double, Double> PREPARED_MYSQL_FLOORS = Map.of(0.005, 0.90, 0.02, 0.55, 0.05, 0.50);
    private static final String PREPARED_MYSQL = "sysbench-prepared";
    private static final Map<Double, Double> FLOORS_OF_ISSUE = Map.of(0.005, 0.985, 0.02, 0.93, 0.05, 0.80);
    /**
     * Scenarios where nearly every packet carries a statement's own bytes (COPY data, results of tens of packets):
     * a lost packet costs the statement it belongs to, so the share of statements depends on the packet density
     * and no floor applies; the cost per lost packet is bounded instead (see the test), and what is not exact must
     * have lost bytes of its own.
     */
    private static final Set<String> NO_FLOOR = Set.of("large-result", "copy");
    /** A lost packet costs at most the statements whose bytes it carried and the exchange around it. */
    private static final int MAX_STATEMENTS_PER_LOST_PACKET = 3;
    private static final int PGBENCH_TRANSACTIONS = Integer.getInteger("dbwire.loss.transactions", 250);

    private record Scenario(String name, Path capture, SensorConfig config) {}

    private PostgresServer pg;
    private MariaDbServer maria;
    private Path work;
    private final List<Scenario> scenarios = new ArrayList<>();
    private final Map<String, List<TransactionRecord>> cleanRecords = new LinkedHashMap<>();

    @BeforeAll
    void captureWorkloads() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(PostgresServer.available() && MariaDbServer.available() && LoopbackCapture.available()
                    && Files.isExecutable(PGBENCH) && Files.isExecutable(Path.of("/usr/bin/sysbench")),
                    "needs root, tcpdump, postgresql-15 with pgbench, mariadb-server and sysbench (CI installs them)");
        }
        work = Files.createTempDirectory("dbwire-loss");
        String reuse = System.getenv("DBWIRE_LOSS_CAPTURES"); // a directory to keep the captures in, or reuse
        if (reuse != null && Files.exists(Path.of(reuse, "ports.txt"))) {
            reuseCaptures(Path.of(reuse));
            return;
        }
        capturePostgres();
        captureMariaDb();
        if (reuse != null) {
            Files.createDirectories(Path.of(reuse));
            List<String> lines = new ArrayList<>();
            for (Scenario s : scenarios) {
                Files.copy(s.capture(), Path.of(reuse, s.name() + ".pcap"));
                boolean mysql = s.config().protocols().postgresPorts().isEmpty()
                        || !s.config().protocols().mysqlPorts().equals(SensorConfig.defaults().protocols().mysqlPorts());
                int port = (mysql ? s.config().protocols().mysqlPorts() : s.config().protocols().postgresPorts())
                        .iterator().next();
                lines.add(s.name() + " " + (mysql ? "mysql" : "pg") + " " + port);
            }
            Files.write(Path.of(reuse, "ports.txt"), lines);
        }
    }

    /** For working on the sensor: replays captures kept by an earlier run (their server-log checks passed). */
    private void reuseCaptures(Path dir) throws Exception {
        for (String line : Files.readAllLines(dir.resolve("ports.txt"))) {
            String[] f = line.split(" ");
            int port = Integer.parseInt(f[2]);
            SensorConfig config = f[1].equals("mysql") ? mysqlConfig(port) : PgLogMatch.fullTextConfig(port);
            Path file = dir.resolve(f[0] + ".pcap");
            scenarios.add(new Scenario(f[0], file, config));
            cleanRecords.put(f[0], CaptureReplay.replay(file, config).records());
        }
    }

    @AfterAll
    void cleanUp() throws Exception {
        if (pg != null) {
            pg.close();
        }
        if (maria != null) {
            maria.close();
        }
        if (work != null) {
            ExternalProcess.run(List.of("rm", "-rf", work.toString()), Map.of(), null, 60);
        }
    }

    // ---- capturing ----------------------------------------------------------------------------------------

    private void capturePostgres() throws Exception {
        pg = PostgresServer.start();
        pgbench("init", "-i", "-q", "-s", "1");
        SensorConfig config = PgLogMatch.fullTextConfig(pg.port());
        capture("pgbench-extended", pg.port(), config,
                () -> pgbench("extended", "-n", "-M", "extended", "-c", "2", "-t", "" + PGBENCH_TRANSACTIONS));
        capture("pgbench-prepared", pg.port(), config,
                () -> pgbench("prepared", "-n", "-M", "prepared", "-c", "2", "-t", "" + PGBENCH_TRANSACTIONS));
        capture("psql-simple", pg.port(), config, () -> psql("simple", simpleScript()));
        capture("copy", pg.port(), config, () -> psql("copy", copyScript()));
        capture("large-result", pg.port(), config, () -> psql("large", largeResultScript()));
        pg.stop();
        ServerLog log = ServerLog.read(pg.csvLog());
        for (Scenario s : scenarios) {
            Map<Integer, List<TransactionRecord>> clean = LossTally.byConnection(cleanRecords.get(s.name()));
            assertThat(clean).as(s.name()).isNotEmpty();
            for (Map.Entry<Integer, List<TransactionRecord>> e : clean.entrySet()) {
                ServerLog.Connection c = log.connections.get(e.getKey());
                assertThat(c).as("%s: port %d in the server log", s.name(), e.getKey()).isNotNull();
                PgLogMatch.assertSameStatements(s.name() + " port " + e.getKey(), c, e.getValue());
            }
        }
    }

    private void captureMariaDb() throws Exception {
        maria = MariaDbServer.start();
        int before = scenarios.size();
        sysbench("prepare", List.of());
        SensorConfig config = mysqlConfig(maria.port());
        capture("sysbench-text", maria.port(), config, () -> sysbench("run", List.of("--db-ps-mode=disable")));
        capture("sysbench-prepared", maria.port(), config, () -> sysbench("run", List.of("--db-ps-mode=auto")));
        maria.stop();
        List<MariaDbGeneralLog.Connection> log = MariaDbGeneralLog.read(maria.generalLog());
        int at = log.size();
        for (int k = scenarios.size() - 1; k >= before; k--) { // the captured runs are the log's last connections
            List<List<TransactionRecord>> captured = MySqlLogMatch.connections(cleanRecords.get(scenarios.get(k).name()));
            at -= captured.size();
            assertThat(at).isGreaterThanOrEqualTo(0);
            pairAndCompare(log.subList(at, at + captured.size()), captured);
        }
    }

    /** Threads that connect at once may reach the log in another order than the capture: pair by content. */
    private static void pairAndCompare(List<MariaDbGeneralLog.Connection> log, List<List<TransactionRecord>> captured) {
        List<List<TransactionRecord>> unpaired = new ArrayList<>(captured);
        for (MariaDbGeneralLog.Connection c : log) {
            AssertionError first = null;
            List<TransactionRecord> match = null;
            for (List<TransactionRecord> candidate : unpaired) {
                try {
                    MySqlLogMatch.compare(c, candidate);
                    match = candidate;
                    break;
                } catch (AssertionError e) {
                    first = first == null ? e : first;
                }
            }
            if (match == null) {
                throw first != null ? first : new AssertionError("no connection for thread " + c.threadId);
            }
            unpaired.remove(match);
        }
    }

    private interface Workload {
        void run() throws Exception;
    }

    private void capture(String name, int port, SensorConfig config, Workload workload) throws Exception {
        Path file = work.resolve(name + ".pcap");
        try (LoopbackCapture tcpdump = LoopbackCapture.start(port, file, CAPTURE_BUFFER_KIB)) {
            workload.run();
            assertThat(tcpdump.stopCountingDrops()).as("%s: packets tcpdump dropped", name).isZero();
        }
        scenarios.add(new Scenario(name, file, config));
        cleanRecords.put(name, CaptureReplay.replay(file, config).records());
    }

    private void pgbench(String application, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(PGBENCH.toString(), "-h", "127.0.0.1",
                "-p", Integer.toString(pg.port()), "-U", PostgresServer.APP_USER));
        command.addAll(List.of(args));
        command.add(PostgresServer.DATABASE);
        ExternalProcess.Result r = ExternalProcess.run(command, Map.of("PGPASSWORD", PostgresServer.APP_PASSWORD,
                "PGSSLMODE", "disable", "PGAPPNAME", "pgbench-" + application), null, 300);
        assertThat(r.exitCode()).as("pgbench %s:%n%s", application, r.output()).isZero();
    }

    private void psql(String application, String script) throws Exception {
        Path file = work.resolve(application + ".sql");
        Files.writeString(file, script);
        ExternalProcess.chownToPostgres(work);
        ExternalProcess.Result r = pg.psql("disable", PostgresServer.APP_PASSWORD, "psql-" + application,
                List.of("-f", file.toString()), null);
        assertThat(r.exitCode()).as("psql %s: %s", application, r.output()).isZero();
    }

    /** Short statements, a few errors, and multi-statement Query strings ({@code \;} sends one Query). */
    private static String simpleScript() {
        StringBuilder s = new StringBuilder("CREATE TABLE simple_t (id int PRIMARY KEY, v text);\n");
        for (int i = 0; i < 500; i++) {
            s.append("INSERT INTO simple_t VALUES (").append(i).append(", 'v").append(i).append("');\n");
            s.append("SELECT v FROM simple_t WHERE id = ").append(i).append(";\n");
            if (i % 10 == 0) {
                s.append("UPDATE simple_t SET v = 'u' WHERE id <= ").append(i).append(" \\; SELECT count(*) FROM simple_t;\n");
            }
            if (i % 50 == 0) {
                s.append("INSERT INTO simple_t VALUES (").append(i).append(", 'dup');\n"); // 23505
            }
        }
        return s.toString();
    }

    /** COPY in both directions, each followed by a short statement. */
    private static String copyScript() {
        StringBuilder s = new StringBuilder("CREATE TABLE items (id int, name text);\n");
        for (int k = 0; k < 30; k++) {
            s.append("COPY items FROM STDIN;\n");
            for (int i = 0; i < 1500; i++) {
                s.append(k * 10_000 + i).append("\titem number ").append(i).append('\n');
            }
            s.append("\\.\n");
            s.append("SELECT count(*) FROM items;\n");
            s.append("COPY (SELECT * FROM items WHERE id % 7 = ").append(k % 7).append(") TO STDOUT;\n");
            s.append("SELECT ").append(k).append(";\n");
        }
        return s.toString();
    }

    /** Results of tens of packets each, with short statements between them. */
    private static String largeResultScript() {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < 20; k++) {
            s.append("SELECT g, repeat('x', 30) FROM generate_series(1, ").append(20_000 + k).append(") g;\n");
            s.append("SELECT ").append(k).append(";\n");
            s.append("SELECT count(*) FROM pgbench_branches;\n");
        }
        return s.toString();
    }

    private void sysbench(String step, List<String> extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("sysbench", "oltp_read_write", "--db-driver=mysql",
                "--mysql-host=127.0.0.1", "--mysql-port=" + maria.port(), "--mysql-user=" + MariaDbServer.APP_USER,
                "--mysql-password=" + MariaDbServer.APP_PASSWORD, "--mysql-db=" + MariaDbServer.DATABASE,
                "--mysql-ssl=off", "--tables=1", "--table-size=1000", "--threads=2",
                "--events=" + Integer.getInteger("dbwire.loss.sysbenchEvents", 150), "--time=0"));
        command.addAll(extra);
        command.add(step);
        ExternalProcess.Result r = ExternalProcess.run(command, Map.of(), null, 300);
        assertThat(r.exitCode()).as("sysbench %s: %s", step, r.output()).isZero();
    }

    private static SensorConfig mysqlConfig(int port) {
        SensorConfig d = SensorConfig.defaults();
        ProtocolConfig p = d.protocols();
        return new SensorConfig(d.decap(), d.tcp(),
                new ProtocolConfig(p.postgresPorts(), Set.of(port), StatementMode.NORMALIZED, p.maxStatementBytes(),
                        p.maxMessageBytes()),
                d.detection());
    }

    // ---- impairing ----------------------------------------------------------------------------------------

    private LossTally impaired(Scenario s, LossyPcap.Impairment how, StringBuilder notes) throws Exception {
        return impaired(s, how, notes, new LossCauses());
    }

    private LossTally impaired(Scenario s, LossyPcap.Impairment how, StringBuilder notes, LossCauses causes)
            throws Exception {
        Path file = work.resolve(s.name() + "-impaired.pcap");
        LossyPcap.Stats stats = LossyPcap.impair(s.capture(), file, how);
        CaptureReplay.Result replay = CaptureReplay.replay(file, s.config());
        LossTally t = new LossTally(MAX_DELAY_MICROS + 1_000);
        t.add(cleanRecords.get(s.name()), replay.records());
        t.droppedPackets = stats.dropped();
        boolean mysql = !s.config().protocols().mysqlPorts().equals(SensorConfig.defaults().protocols().mysqlPorts());
        int port = (mysql ? s.config().protocols().mysqlPorts() : s.config().protocols().postgresPorts()).iterator()
                .next();
        causes.add(stats.droppedFrames(), port, mysql, t.misses);
        String keep = System.getenv("DBWIRE_LOSS_CAPTURES");
        if (keep != null && t.wrong > 0) {
            System.out.println("FIRST WRONG " + s.name() + " " + how + "\n" + t.firstWrongContext);
            Files.copy(file, Path.of(keep, "wrong-" + s.name() + "-" + how.lossRate() + "-" + how.seed() + ".pcap"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        // A record that carries a gap is one the gap cut short: incomplete, unless PostgreSQL's tag gave its rows
        // (counted rows_from_tag_after_gap; LossTally's wrong = 0 checks that it equals the clean record).
        List<TransactionRecord> withGaps = replay.records().stream().filter(r -> r.gaps() != null)
                .collect(Collectors.toList());
        Map<String, Long> problems = replay.summary().problems();
        long fromTag = problems.getOrDefault("postgres.rows_from_tag_after_gap", 0L);
        assertThat(withGaps.stream().filter(r -> r.status() != RecordStatus.INCOMPLETE).count())
                .as("%s %s: records with gaps that are not incomplete", s.name(), how).isEqualTo(fromTag);
        assertThat(withGaps.stream().filter(r -> r.status() != RecordStatus.INCOMPLETE))
                .as("%s %s: records with gaps and rows from the tag", s.name(), how)
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(RecordStatus.OK));
        t.withGaps = withGaps.size();
        t.fromTag = fromTag;
        notes.append(String.format("%s %s: dropped %d of %d payload packets, delayed %d; gaps=%s hold_expired=%s"
                + " gap_acked=%s; records with gaps %d (rows from the tag %d); wrong %s; time %s%n", s.name(), how,
                stats.dropped(), stats.payloadFrames(), stats.delayed(), problems.get("tcp.gap_events"),
                problems.get("tcp.hold_expired"), problems.get("tcp.gap_acked"), t.withGaps, t.fromTag, t.wrongExamples,
                t.timeExamples));
        return t;
    }

    @Test
    void lossCostsOnlyTheStatementsItTouchesAndNeverGivesAWrongRecord() throws Exception {
        StringBuilder table = new StringBuilder(LossTally.header()).append('\n');
        StringBuilder notes = new StringBuilder();
        StringBuilder causeTables = new StringBuilder();
        SoftAssertions soft = new SoftAssertions();
        for (Scenario s : scenarios) {
            long incompleteWithRows = 0;
            for (double rate : RATES) {
                LossTally sum = new LossTally(MAX_DELAY_MICROS + 1_000);
                LossCauses causes = new LossCauses();
                for (long seed : SEEDS) {
                    LossTally t = impaired(s, new LossyPcap.Impairment(rate, REORDER_RATE, MAX_DELAY_MICROS, seed),
                            notes, causes);
                    soft.assertThat(t.wrong).as("%s loss %.1f%% seed %d: wrong records %s", s.name(), rate * 100,
                            seed, t.wrongExamples).isZero();
                    sum.merge(t);
                }
                table.append(sum.row(s.name(), String.format("%.1f%%", rate * 100))).append('\n');
                causeTables.append(causes.table(String.format("%s at %.1f%% loss:", s.name(), rate * 100)));
                // A cascade (every record after a loss at a release time) would put most records here. A few
                // exact records end later than in the clean capture (a response's last packet delayed; seen once:
                // two COPY TO STDOUT of ~270 at 5 % loss, ~20 ms longer; docs/reassembly.md "Open").
                soft.assertThat(sum.timeOff).as("%s at %.1f%% loss: records not at their own time %s", s.name(),
                        rate * 100, sum.timeExamples).isLessThanOrEqualTo(Math.max(3, sum.exact / 100));
                soft.assertThat(sum.incompleteRowsOver).as("%s at %.1f%% loss: incomplete records claiming more rows"
                        + " than their statement %s", s.name(), rate * 100, sum.wrongExamples).isZero();
                // A lost packet costs the statements whose bytes it carried, not its neighbours (an unknown text
                // is the cost of the PREPARE's packet, counted apart).
                soft.assertThat(causes.collateral()).as("%s at %.1f%% loss: statements not exact though nothing of"
                        + " their own was lost%n%s", s.name(), rate * 100, causes.table(""))
                        .isLessThanOrEqualTo(Math.max(3, sum.droppedPackets / 20));
                if (PREPARED_MYSQL.equals(s.name())) {
                    soft.assertThat(sum.exactShare()).as("%s at %.1f%% loss: exact share", s.name(), rate * 100)
                            .isGreaterThanOrEqualTo(PREPARED_MYSQL_FLOORS.get(rate));
                    soft.assertThat((double) (sum.exact + sum.unknown) / sum.clean).as(
                            "%s at %.1f%% loss: exact + unknown (only the lost PREPARE's text and verb missing)",
                            s.name(), rate * 100).isGreaterThanOrEqualTo(FLOORS_OF_ISSUE.get(rate));
                } else if (NO_FLOOR.contains(s.name())) {
                    incompleteWithRows += sum.incompleteWithRows;
                } else {
                    soft.assertThat(sum.exactShare()).as("%s at %.1f%% loss: exact share", s.name(), rate * 100)
                            .isGreaterThanOrEqualTo(FLOORS.get(rate));
                }
                soft.assertThat(sum.withGaps).as("%s at %.1f%% loss: records that carry the gap that cut them",
                        s.name(), rate * 100).isPositive();
                soft.assertThat(sum.incomplete + sum.missing).as("%s at %.1f%% loss: statements lost for %d packets",
                        s.name(), rate * 100, sum.droppedPackets)
                        .isLessThanOrEqualTo(MAX_STATEMENTS_PER_LOST_PACKET * sum.droppedPackets);
            }
            if (s.name().equals("large-result")) {
                // A result cut by a hole keeps the rows seen before it (over all rates: most holes inside a result
                // now take their rows from the tag, and at 0.5 % none may be left incomplete).
                soft.assertThat(incompleteWithRows).as("%s: incomplete with rows so far", s.name()).isPositive();
            }
        }
        System.out.print(notes);
        System.out.println("mirror loss, " + SEEDS.length + " seeds per rate, " + (int) (REORDER_RATE * 100)
                + " % of packets delayed by up to " + MAX_DELAY_MICROS / 1000 + " ms:");
        System.out.println(table);
        System.out.println("why statements were not exact:");
        System.out.println(causeTables);
        soft.assertAll();
    }

    @Test
    void reorderingAloneChangesNothing() throws Exception {
        StringBuilder notes = new StringBuilder();
        for (Scenario s : scenarios) {
            LossTally t = impaired(s, new LossyPcap.Impairment(0, 0.05, MAX_DELAY_MICROS, 5), notes);
            assertThat(t.wrong).as("%s: %s", s.name(), t.wrongExamples).isZero();
            // Also a FIN that overtook the connection's last data: the close waits for it (FinWait).
            assertThat(t.exact).as("%s: %s", s.name(), notes).isEqualTo(t.clean);
            assertThat(t.timeOff).as("%s: %s", s.name(), t.timeExamples).isZero();
            assertThat(t.withGaps).as("%s: records with gaps without loss", s.name()).isZero();
        }
        System.out.print(notes);
    }

    /**
     * Every record keeps the time of its own packets (issue 11): under loss and reordering no more complete
     * records with {@code duration_us} 0 or with a ts shared with another statement of their connection than in
     * the clean capture (a cascade of releases would give most records both); a record without timing (its
     * request's packet came after its answer) needs a delayed packet; and reordering alone keeps every record's
     * ts and duration within the delay of the clean record at the same position. The table is in
     * docs/reassembly.md ("Timing under loss").
     */
    @Test
    void recordsKeepTheTimeOfTheirOwnPackets() throws Exception {
        StringBuilder table = new StringBuilder(LossTiming.header()).append('\n');
        SoftAssertions soft = new SoftAssertions();
        for (Scenario s : scenarios) {
            List<TransactionRecord> clean = cleanRecords.get(s.name());
            LossTiming base = LossTiming.of(clean);
            table.append(base.row(s.name(), "clean")).append('\n');
            LossyPcap.Impairment reorder = new LossyPcap.Impairment(0, 0.05, MAX_DELAY_MICROS, 5);
            LossTiming reordered = timing(s, reorder, clean, soft);
            table.append(reordered.row(s.name(), "reordered 5 %")).append('\n');
            soft.assertThat(reordered.moved).as("%s reordered: records off their clean time %s", s.name(),
                    reordered.movedExamples).isZero();
            soft.assertThat(reordered.compared).as("%s: records compared", s.name()).isPositive();
            for (double rate : RATES) {
                LossTiming sum = new LossTiming();
                for (long seed : SEEDS) {
                    sum.merge(timing(s, new LossyPcap.Impairment(rate, REORDER_RATE, MAX_DELAY_MICROS, seed), clean,
                            soft));
                }
                table.append(sum.row(s.name(), String.format("loss %.1f %%", rate * 100))).append('\n');
                assertNoMoreThanClean(soft, s.name() + String.format(" at %.1f%% loss", rate * 100), sum, base);
            }
            assertNoMoreThanClean(soft, s.name() + " reordered", reordered, base);
        }
        System.out.println("timing under loss (" + SEEDS.length + " seeds per loss rate; "
                + (int) (REORDER_RATE * 100) + " % of packets delayed by up to " + MAX_DELAY_MICROS / 1000
                + " ms):\n" + table);
        soft.assertAll();
    }

    /**
     * Shares of complete records: zero durations no higher than clean (+ 1 in 1000); shared times no higher than
     * clean + 5 in 1000 — where the clean capture already shares times (psql's multi-statement queries, 9 %), loss
     * removes single statements more often than whole multi-statement groups and the share drifts by a few in
     * 10 000; a cascade of releases (the failure this guards) shares most records' times.
     */
    private static void assertNoMoreThanClean(SoftAssertions soft, String what, LossTiming t, LossTiming clean) {
        soft.assertThat(share(t.zeroDuration, t.complete)).as("%s: share with duration_us 0", what)
                .isLessThanOrEqualTo(share(clean.zeroDuration, clean.complete) + 0.001);
        soft.assertThat(share(t.sharedTs, t.complete)).as("%s: share with a ts shared in the connection", what)
                .isLessThanOrEqualTo(share(clean.sharedTs, clean.complete) + 0.005);
    }

    private static double share(int n, int of) {
        return of == 0 ? 0 : (double) n / of;
    }

    private LossTiming timing(Scenario s, LossyPcap.Impairment how, List<TransactionRecord> clean,
            SoftAssertions soft) throws Exception {
        Path file = work.resolve(s.name() + "-timing.pcap");
        LossyPcap.Stats stats = LossyPcap.impair(s.capture(), file, how);
        List<TransactionRecord> records = CaptureReplay.replay(file, s.config()).records();
        LossTiming t = LossTiming.of(records);
        if (how.lossRate() == 0) {
            t.compare(clean, records, MAX_DELAY_MICROS);
        }
        soft.assertThat(t.unknownDuration).as("%s %s: records without timing need a delayed packet each", s.name(),
                how).isLessThanOrEqualTo(stats.delayed());
        return t;
    }

    static List<TransactionRecord> statements(List<TransactionRecord> records) {
        return records.stream().filter(r -> r.kind() == RecordKind.STATEMENT).collect(Collectors.toList());
    }
}
