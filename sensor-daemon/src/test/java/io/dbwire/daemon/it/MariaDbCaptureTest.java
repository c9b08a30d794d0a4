package io.dbwire.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.config.StatementMode;
import io.dbwire.core.protocol.sql.SqlNormalizer;
import io.dbwire.core.record.RecordJson;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Real MariaDB (Debian's mariadb-server), real clients (the mariadb client, sysbench), a real loopback capture:
 * the records replayed from the capture must match the server's general log command for command.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariaDbCaptureTest {
    /** 20 MiB transfers overrun tcpdump's default 2 MiB kernel buffer; drops would look like sensor gaps. */
    private static final int CAPTURE_BUFFER_KIB = 256 * 1024;
    private static final int FAILED_LOGINS = 3;
    private static final int BLOB_BYTES = 20 * 1024 * 1024;
    private static final int INFILE_LINES = 200;
    /** Commands the server answers but does not write to the general log. */
    private static final Set<String> NOT_LOGGED = Set.of("PING");
    private static final SqlNormalizer SQL = SqlNormalizer.mysql();

    private MariaDbServer server;
    private List<MariaDbGeneralLog.Connection> log;
    private CaptureReplay.Result replay;
    private Path work;
    private boolean sysbench;
    private CaptureReplay.Result midStream;

    @BeforeAll
    void captureWorkload() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        if (!ci) {
            assumeTrue(MariaDbServer.available() && LoopbackCapture.available(),
                    "needs root, tcpdump and Debian's mariadb-server/mariadb-client (CI installs them)");
        }
        sysbench = Files.isExecutable(Path.of("/usr/bin/sysbench"));
        if (ci) {
            assertThat(sysbench).as("sysbench installed").isTrue();
        }
        work = Files.createTempDirectory("dbwire-mariadb-it");
        server = MariaDbServer.start();
        Path capture = work.resolve("capture.pcap");
        try (LoopbackCapture tcpdump = LoopbackCapture.start(server.port(), capture, CAPTURE_BUFFER_KIB)) {
            runWorkload();
            assertThat(tcpdump.stopCountingDrops()).as("packets tcpdump dropped").isZero();
        }
        server.stop();
        log = MariaDbGeneralLog.read(server.generalLog());
        replay = CaptureReplay.replay(capture, configFor(server.port()));
        String dump = System.getenv("DBWIRE_IT_DUMP"); // a directory to keep the capture, log and records in
        if (dump != null) {
            Files.copy(capture, Path.of(dump, "mariadb.pcap"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(server.generalLog(), Path.of(dump, "general.log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.write(Path.of(dump, "records.jsonl"),
                    replay.records().stream().map(RecordJson::toJson).collect(Collectors.toList()));
            Files.writeString(Path.of(dump, "counters.txt"), replay.summary().stats().counters().toString());
        }
    }

    @AfterAll
    void cleanUp() throws Exception {
        if (server != null) {
            server.close();
        }
        if (work != null) {
            ExternalProcess.run(List.of("rm", "-rf", work.toString()), Map.of(), null, 60);
        }
    }

    private void runWorkload() throws Exception {
        Path csv = work.resolve("customers.csv");
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < INFILE_LINES; i++) {
            rows.append(1000 + i).append(",loaded ").append(i).append(",l").append(i).append("@x\n");
        }
        Files.writeString(csv, rows);
        String script = String.join("\n",
                "CREATE TABLE customers (id int PRIMARY KEY, name varchar(100) NOT NULL, email varchar(100));",
                "INSERT INTO customers VALUES (1,'a','a@x'),(2,'b','b@x'),(3,'c',NULL);",
                "SELECT id, name FROM customers WHERE id = 2;",
                "INSERT INTO customers VALUES (2, 'dup', NULL);", // 1062
                "SELEC broken;", // 1064
                "UPDATE customers SET email = 'n@x' WHERE id IN (1, 2, 3);",
                "SELECT * FROM customers ORDER BY id;",
                "use shop", // COM_INIT_DB
                "LOAD DATA LOCAL INFILE '" + csv + "' INTO TABLE customers FIELDS TERMINATED BY ',';",
                "DELIMITER //",
                "CREATE PROCEDURE two() BEGIN SELECT 1 AS a; SELECT id FROM customers WHERE id < 10; END //",
                "CALL two() //",
                "SELECT 10; SELECT 20; SELECT nope FROM customers; SELECT 30 //", // 1054 ends the batch
                "SELECT count(*) FROM customers; UPDATE customers SET name = 'z' WHERE id = 1 //",
                "DELIMITER ;",
                "");
        assertThat(server.client(MariaDbServer.APP_PASSWORD, List.of("--force", "--local-infile=1"), script)
                .output()).contains("1062", "1064", "1054");
        server.client(MariaDbServer.APP_PASSWORD, List.of("--compress", "-e",
                "SELECT * FROM customers WHERE id < 10; SELECT repeat('x', 100000)"), null);
        // 16 MiB split in both directions: a 20 MiB statement and a 20 MiB row.
        String bigLiteral = "SELECT length('" + "b".repeat(BLOB_BYTES) + "') AS n;\n";
        server.client(MariaDbServer.APP_PASSWORD, List.of("--max-allowed-packet=64M"), bigLiteral);
        server.client(MariaDbServer.APP_PASSWORD, List.of("--max-allowed-packet=64M", "-e",
                "SELECT repeat('z', " + BLOB_BYTES + ") AS blob_value"), null);
        assertThat(server.tlsClient(List.of("-e", "SELECT 'secret over tls'")).exitCode()).isZero();
        runMidStream();
        for (int i = 0; i < FAILED_LOGINS; i++) {
            server.client("wrong-" + i, List.of("-e", "SELECT 1"), null);
        }
        if (sysbench) {
            runSysbench("prepare", List.of());
            runSysbench("run", List.of("--db-ps-mode=auto"));
            runSysbench("run", List.of("--db-ps-mode=disable"));
        }
    }

    /**
     * A second capture that starts while a client is connected: its records start mid-stream. The client is
     * interactive (unbuffered) so that each statement goes out when written.
     */
    private void runMidStream() throws Exception {
        Process client = new ProcessBuilder(server.clientCommand(MariaDbServer.APP_PASSWORD, "--skip-ssl",
                List.of("-n", "--force"))).redirectErrorStream(true)
                .redirectOutput(work.resolve("midstream.out").toFile()).start();
        try (java.io.Writer in = new java.io.OutputStreamWriter(client.getOutputStream(),
                java.nio.charset.StandardCharsets.UTF_8)) {
            in.write("SELECT 'before the capture';\n");
            in.flush();
            Thread.sleep(1_000);
            Path file = work.resolve("midstream.pcap");
            try (LoopbackCapture late = LoopbackCapture.start(server.port(), file, CAPTURE_BUFFER_KIB)) {
                in.write("SELECT id FROM customers WHERE id < 3;\n");
                in.write("INSERT INTO customers VALUES (1, 'again', NULL);\n");
                in.write("SELECT 'after';\n");
                in.flush();
                Thread.sleep(1_000);
                in.close();
                assertThat(client.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                assertThat(late.stopCountingDrops()).as("packets tcpdump dropped").isZero();
            }
            midStream = CaptureReplay.replay(file, configFor(server.port()));
        } finally {
            client.destroyForcibly();
        }
    }

    private void runSysbench(String step, List<String> extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("sysbench", "oltp_read_write", "--db-driver=mysql",
                "--mysql-host=127.0.0.1", "--mysql-port=" + server.port(), "--mysql-user=" + MariaDbServer.APP_USER,
                "--mysql-password=" + MariaDbServer.APP_PASSWORD, "--mysql-db=" + MariaDbServer.DATABASE,
                "--mysql-ssl=off", "--tables=1", "--table-size=1000", "--threads=2", "--events=100", "--time=0"));
        command.addAll(extra);
        command.add(step);
        ExternalProcess.Result r = ExternalProcess.run(command, Map.of(), null, 300);
        assertThat(r.exitCode()).as("sysbench %s: %s", step, r.output()).isZero();
    }

    private static SensorConfig configFor(int port) {
        SensorConfig d = SensorConfig.defaults();
        ProtocolConfig p = d.protocols();
        return new SensorConfig(d.decap(), d.tcp(),
                new ProtocolConfig(p.postgresPorts(), Set.of(port), StatementMode.NORMALIZED, p.maxStatementBytes(),
                        p.maxMessageBytes()),
                d.detection());
    }

    /** Records grouped per connection, connections in the order they started. */
    private List<List<TransactionRecord>> connections() {
        Map<Long, List<TransactionRecord>> byId = new LinkedHashMap<>();
        replay.records().stream().sorted(Comparator.comparingLong(TransactionRecord::tsMicros))
                .forEach(r -> byId.computeIfAbsent(r.connectionId(), k -> new ArrayList<>()).add(r));
        return byId.values().stream().sorted(Comparator.comparingLong(l -> l.get(0).tsMicros()))
                .collect(Collectors.toList());
    }

    @Test
    void recordsMatchTheGeneralLogCommandForCommand() {
        List<List<TransactionRecord>> connections = connections();
        assertThat(connections).hasSameSizeAs(log);
        connections = pairWithLog(connections);
        long commands = 0;
        for (int i = 0; i < log.size(); i++) {
            commands += compare(log.get(i), connections.get(i));
        }
        System.out.printf("mariadb capture: %d records for %d general-log commands on %d connections%n",
                replay.records().size(), commands, log.size());
        long sysbenchCommands = 0;
        long sysbenchRecords = 0;
        long sysbenchPings = 0;
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).commands.stream().anyMatch(c -> c.argument().contains("sbtest"))) {
                sysbenchCommands += log.get(i).commands.size();
                sysbenchRecords += connections.get(i).size();
                sysbenchPings += connections.get(i).stream().filter(r -> r.statement() != null
                        && NOT_LOGGED.contains(r.statement().operation())).count();
            }
        }
        System.out.printf("sysbench: %d records produced (%d of them PING, not in the log) vs %d commands in the"
                + " general log%n", sysbenchRecords, sysbenchPings, sysbenchCommands);
        assertThat(sysbenchRecords - sysbenchPings).isEqualTo(sysbenchCommands);
    }

    /**
     * The general log names no client port, so connections are paired by start order. Clients that connect at
     * the same moment (sysbench's threads) can reach the server in another order than the capture saw their
     * first packets: each log connection is paired with the first of the next few unpaired captured connections
     * whose records match it.
     */
    private List<List<TransactionRecord>> pairWithLog(List<List<TransactionRecord>> captured) {
        final int window = 4;
        List<List<TransactionRecord>> unpaired = new ArrayList<>(captured);
        List<List<TransactionRecord>> paired = new ArrayList<>();
        for (MariaDbGeneralLog.Connection c : log) {
            AssertionError first = null;
            List<TransactionRecord> match = null;
            for (int k = 0; k < Math.min(window, unpaired.size()) && match == null; k++) {
                try {
                    compare(c, unpaired.get(k));
                    match = unpaired.get(k);
                } catch (AssertionError e) {
                    first = first == null ? e : first;
                }
            }
            if (match == null) {
                throw first != null ? first : new AssertionError("no captured connection left for thread " + c.threadId);
            }
            unpaired.remove(match);
            paired.add(match);
        }
        return paired;
    }

    /** Walks one connection's log commands and records side by side; returns the number of log commands. */
    private long compare(MariaDbGeneralLog.Connection c, List<TransactionRecord> records) {
        List<TransactionRecord> rs = records.stream()
                .filter(r -> r.statement() == null || !NOT_LOGGED.contains(r.statement().operation()))
                .collect(Collectors.toList());
        int at = 0;
        String where = "thread " + c.threadId;
        if (!rs.isEmpty() && rs.get(0).kind() == RecordKind.TLS) {
            assertThat(rs).as("%s: TLS connection", where).hasSize(1);
            return c.commands.size();
        }
        for (MariaDbGeneralLog.Command cmd : c.commands) {
            assertThat(at).as("%s: no record left for %s %s", where, cmd.name(), cut(cmd.argument()))
                    .isLessThan(rs.size());
            TransactionRecord r = rs.get(at);
            String what = where + " " + cmd.name() + " " + cut(cmd.argument()) + " vs " + RecordJson.toJson(r);
            switch (cmd.name()) {
                case "Connect" -> {
                    assertThat(r.kind()).as(what).isEqualTo(RecordKind.LOGIN);
                    assertThat(r.status()).as(what).isEqualTo(c.denied ? RecordStatus.ERROR : RecordStatus.OK);
                    if (c.denied) {
                        assertThat(r.error().code()).as(what).isEqualTo("1045");
                    }
                    at++;
                }
                case "Query" -> {
                    List<String> parts = SQL.split(cmd.argument());
                    for (String part : parts) {
                        TransactionRecord s = rs.get(at++);
                        assertFingerprint(part, s, where + " Query " + cut(part) + " vs " + RecordJson.toJson(s));
                        if (s.status() == RecordStatus.ERROR) {
                            break; // the server runs nothing after an error in a batch
                        }
                        assertThat(at < rs.size() || part == parts.get(parts.size() - 1)).as(what).isTrue();
                    }
                }
                case "Prepare" -> {
                    assertThat(r.statement().operation()).as(what).isEqualTo("PREPARE");
                    assertFingerprint(cmd.argument(), r, what);
                    at++;
                }
                case "Execute" -> {
                    assertFingerprint(cmd.argument(), r, what);
                    at++;
                }
                default -> {
                    assertThat(r.statement().operation()).as(what).isEqualTo(operationOf(cmd.name()));
                    at++;
                }
            }
            assertThat(r.status()).as(what).isNotEqualTo(RecordStatus.INCOMPLETE);
        }
        assertThat(at).as("%s: records beyond the log: %s", where, rs.subList(Math.min(at, rs.size()), rs.size()))
                .isEqualTo(rs.size());
        return c.commands.size();
    }

    private static String operationOf(String logCommand) {
        return switch (logCommand) {
            case "Quit" -> "QUIT";
            case "Init DB" -> "INIT_DB";
            case "Close stmt" -> "CLOSE_STMT";
            case "Reset stmt" -> "RESET_STMT";
            case "Long Data" -> "SEND_LONG_DATA";
            case "Field List" -> "FIELD_LIST";
            case "Statistics" -> "STATISTICS";
            case "Fetch" -> "FETCH";
            case "Change user" -> "CHANGE_USER";
            default -> logCommand;
        };
    }

    private static void assertFingerprint(String sql, TransactionRecord r, String what) {
        assertThat(r.kind()).as(what).isEqualTo(RecordKind.STATEMENT);
        if (sql.length() > 200_000) {
            return; // the sensor normalises a bounded prefix of huge statements; their fingerprint differs
        }
        assertThat(r.statement().fingerprint()).as(what).isEqualTo(SQL.normalize(sql).fingerprint());
    }

    private static String cut(String s) {
        return s == null || s.length() < 120 ? s : s.substring(0, 120) + "…";
    }

    @Test
    void errorsCallResultsInfileAndSessionFacts() {
        List<TransactionRecord> errors = replay.records().stream().filter(r -> r.status() == RecordStatus.ERROR)
                .collect(Collectors.toList());
        assertThat(errors).extracting(r -> r.error().code()).contains("1062", "1064", "1054", "1045");
        assertThat(errors).allSatisfy(r -> assertThat(r.error().message()).isNotBlank().doesNotStartWith("#"));
        TransactionRecord call = only("CALL");
        assertThat(call.response().rows()).as("1 row + 3 rows from two result sets").isEqualTo(4L);
        TransactionRecord load = only("LOAD");
        assertThat(load.response().rowsAffected()).isEqualTo((long) INFILE_LINES);
        assertThat(load.request().bytes()).isGreaterThan(INFILE_LINES * 10L);
        assertThat(replay.records()).filteredOn(r -> r.statement() != null
                        && "INIT_DB".equals(r.statement().operation()))
                .singleElement().satisfies(r -> assertThat(r.session().database()).isEqualTo("shop"));
        assertThat(replay.records()).allSatisfy(r -> {
            assertThat(r.protocol()).isEqualTo("mysql");
            assertThat(RecordJson.toJson(r)).doesNotContain("app-secret", "wrong-");
        });
        assertThat(replay.records()).filteredOn(r -> r.kind() == RecordKind.LOGIN && r.status() == RecordStatus.OK)
                .allSatisfy(r -> assertThat(r.session().user()).isEqualTo(MariaDbServer.APP_USER));
    }

    @Test
    void compressionAndSixteenMebibyteSplitsAreFollowed() {
        Map<String, Long> counters = replay.summary().stats().counters();
        assertThat(counters.get("mysql.compressed_sessions")).isEqualTo(1L);
        assertThat(counters.get("mysql.continuation_packets")).isGreaterThanOrEqualTo(2L);
        assertThat(replay.records()).anySatisfy(r -> {
            assertThat(r.request().bytes()).isGreaterThan(BLOB_BYTES);
            assertThat(r.status()).isEqualTo(RecordStatus.OK);
        });
        assertThat(replay.records()).filteredOn(r -> r.response() != null).anySatisfy(r -> {
            assertThat(r.response().bytes()).isGreaterThan(BLOB_BYTES);
            assertThat(r.response().rows()).isEqualTo(1L);
        });
        assertThat(replay.records()).anySatisfy(r -> assertThat(r.response() != null && r.statement() != null
                && r.response().bytes() > 100_000 && r.statement().text().contains("repeat")).isTrue());
        Map<String, Long> problems = new LinkedHashMap<>(replay.summary().problems());
        problems.keySet().removeIf(k -> !k.startsWith("mysql."));
        problems.remove("mysql.message_truncated"); // the 20 MiB statement: its text is kept up to a bound
        problems.remove("mysql.statement_truncated");
        assertThat(problems).isEmpty();
    }

    @Test
    void tlsSessionIsOneTlsRecord() {
        assertThat(replay.records()).filteredOn(r -> r.kind() == RecordKind.TLS).singleElement().satisfies(r -> {
            assertThat(r.session().tls()).isTrue();
            // request.bytes: the TLS bytes the client sent after its 36-byte SSLRequest (docs/records.md)
            assertThat(r.request().bytes()).isEqualTo(r.tls().client().bytes()).isGreaterThan(36);
        });
        assertThat(replay.summary().stats().counters().get("mysql.tls_sessions")).isEqualTo(1L);
    }

    @Test
    void captureStartedMidConnectionPicksUpTheNextStatements() {
        List<TransactionRecord> rs = midStream.records();
        assertThat(rs).extracting(r -> r.statement().text()).containsExactly(
                "SELECT id FROM customers WHERE id < ?", "INSERT INTO customers VALUES (?, ?, NULL)", "SELECT ?",
                "COM_QUIT");
        assertThat(rs).extracting(TransactionRecord::status).containsExactly(RecordStatus.OK, RecordStatus.ERROR,
                RecordStatus.OK, RecordStatus.OK);
        assertThat(rs.get(0).response().rows()).isEqualTo(2L);
        assertThat(rs.get(1).error().code()).isEqualTo("1062");
        assertThat(rs).allSatisfy(r -> {
            assertThat(r.session().midStream()).isTrue();
            assertThat(r.session().user()).isNull();
        });
    }

    private TransactionRecord only(String operation) {
        List<TransactionRecord> found = replay.records().stream()
                .filter(r -> r.statement() != null && operation.equals(r.statement().operation()))
                .collect(Collectors.toList());
        assertThat(found).hasSize(1);
        return found.get(0);
    }
}
