package io.dbwire.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.config.StatementMode;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.record.RecordJson;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Real PostgreSQL 15, real clients (psql and pgjdbc), a real loopback capture: the records replayed from the
 * capture must match the server's own statement log statement for statement.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresCaptureTest {
    private static final int FAILED_LOGINS = 12;
    private static final int JDBC_ROUNDS = 8;

    private Path work;
    private PostgresServer server;
    private ServerLog log;
    private CaptureReplay.Result replay;
    private Path capture;
    private SensorConfig config;

    @BeforeAll
    void captureWorkload() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        if (!ci) {
            assumeTrue(PostgresServer.available() && LoopbackCapture.available(),
                    "needs root, tcpdump and Debian's postgresql-15 (CI installs them)");
        }
        work = Files.createTempDirectory("dbwire-it");
        server = PostgresServer.start();
        capture = work.resolve("capture.pcap");
        try (LoopbackCapture tcpdump = LoopbackCapture.start(server.port(), capture)) {
            runWorkload();
            tcpdump.stop();
        }
        server.stop();
        log = ServerLog.read(server.csvLog());
        config = configFor(server.port());
        replay = CaptureReplay.replay(capture, config);
    }

    @AfterAll
    void cleanUp() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private void runWorkload() throws Exception {
        String script = String.join("\n",
                "CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text);",
                "INSERT INTO customers SELECT g, 'customer ' || g, 'c' || g || '@example.com'"
                        + " FROM generate_series(1, 500) g;",
                "SELECT id, name FROM customers WHERE id = 42;",
                "INSERT INTO customers VALUES (42, 'duplicate', NULL);",
                "UPDATE customers SET email = 'new@example.com' WHERE id IN (1, 2, 3);",
                "SELECT * FROM customers ORDER BY id;",
                "");
        server.psql("disable", PostgresServer.APP_PASSWORD, "orders-api", List.of(), script);
        // One simple Query with three statements; the second fails and PostgreSQL skips the third.
        server.psql("disable", PostgresServer.APP_PASSWORD, "report",
                List.of("-c", "SELECT count(*) FROM customers; SELECT * FROM no_such_table; SELECT 2"), null);
        // TLS: the sensor sees SSLRequest and 'S', then ciphertext only.
        server.psql("require", PostgresServer.APP_PASSWORD, "tls-client", List.of("-c", "SELECT 1"), null);
        runJdbc();
        for (int i = 0; i < FAILED_LOGINS; i++) {
            server.psql("disable", "wrong-" + i, "guesser", List.of("-c", "SELECT 1"), null);
        }
    }

    /** pgjdbc: extended protocol, a named server-side statement after prepareThreshold, a pipelined batch. */
    private void runJdbc() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", PostgresServer.APP_USER);
        props.setProperty("password", PostgresServer.APP_PASSWORD);
        props.setProperty("ApplicationName", "jdbc-app");
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), props)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM customers WHERE id = ?")) {
                for (int i = 1; i <= JDBC_ROUNDS; i++) {
                    ps.setInt(1, i);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO customers (id, name) VALUES (?, ?)")) {
                for (int i = 0; i < 20; i++) {
                    ps.setInt(1, 10_000 + i);
                    ps.setString(2, "batch " + i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (Statement s = c.createStatement()) {
                s.executeQuery("SELECT * FROM no_such_view").close();
            } catch (SQLException expected) {
                // 42P01, recorded by the server and expected in the records
            }
        }
    }

    private static SensorConfig configFor(int port) {
        SensorConfig d = SensorConfig.defaults();
        ProtocolConfig p = d.protocols();
        return new SensorConfig(d.decap(), d.tcp(),
                new ProtocolConfig(Set.of(port), p.mysqlPorts(), StatementMode.FULL, p.maxStatementBytes(),
                        p.maxMessageBytes()),
                d.detection());
    }

    private List<TransactionRecord> statementsOf(int clientPort) {
        return replay.records().stream()
                .filter(r -> r.kind() == RecordKind.STATEMENT && r.client().port() == clientPort)
                .collect(Collectors.toList());
    }

    /** The statements a logged query string stands for, as PostgreSQL ran them (none of ours quote a ';'). */
    private static List<ServerLog.Statement> expectedStatements(ServerLog.Connection c) {
        List<ServerLog.Statement> expected = new ArrayList<>();
        for (ServerLog.Statement logged : c.statements) {
            if (logged.extended) {
                expected.add(logged);
                continue;
            }
            String[] parts = logged.text.split(";");
            for (String part : parts) {
                if (!part.isBlank()) {
                    expected.add(new ServerLog.Statement(part.trim(), false));
                }
            }
        }
        return expected;
    }

    @Test
    void everyLoggedStatementIsRecordedOnceInOrderWithItsOutcome() {
        int compared = 0;
        for (Map.Entry<Integer, ServerLog.Connection> e : log.connections.entrySet()) {
            ServerLog.Connection c = e.getValue();
            if (!c.authorized || c.statements.isEmpty() || e.getKey() == tlsClientPort()) {
                continue;
            }
            List<TransactionRecord> records = statementsOf(e.getKey());
            List<String> recordTexts = records.stream().map(r -> r.statement().text().replaceAll(";$", "").trim())
                    .collect(Collectors.toList());
            List<String> expectedTexts = new ArrayList<>();
            List<ServerLog.Statement> expected = expectedStatements(c);
            for (ServerLog.Statement s : expected) {
                expectedTexts.add(s.text.replaceAll(";$", "").trim());
            }
            // A failing statement in a multi-statement Query ends it: the log shows the whole string.
            int failedMulti = c.statements.stream().filter(s -> !s.extended && s.errorCode != null
                    && s.text.split(";").length > 1).mapToInt(s -> 1).sum();
            if (failedMulti == 0) {
                assertThat(recordTexts).as("statements of client port %d", e.getKey()).isEqualTo(expectedTexts);
            } else {
                assertThat(expectedTexts).as("client port %d", e.getKey()).startsWith(recordTexts.toArray(String[]::new));
            }
            long loggedErrors = c.statements.stream().filter(s -> s.errorCode != null).count();
            List<String> recordErrors = records.stream().filter(r -> r.status() == RecordStatus.ERROR)
                    .map(r -> r.error().code()).collect(Collectors.toList());
            assertThat(recordErrors).hasSize((int) loggedErrors);
            assertThat(recordErrors).containsExactlyElementsOf(c.statements.stream()
                    .filter(s -> s.errorCode != null).map(s -> s.errorCode).collect(Collectors.toList()));
            compared += records.size();
        }
        assertThat(compared).as("statement records compared with the server log").isGreaterThan(20);
    }

    @Test
    void sessionIdentityComesFromTheStartupMessage() {
        TransactionRecord first = replay.records().stream()
                .filter(r -> r.kind() == RecordKind.STATEMENT && "orders-api".equals(r.session().application()))
                .findFirst().orElseThrow();
        assertThat(first.session().user()).isEqualTo(PostgresServer.APP_USER);
        assertThat(first.session().database()).isEqualTo(PostgresServer.DATABASE);
        assertThat(first.session().midStream()).isFalse();
        assertThat(first.session().tls()).isFalse();
        TransactionRecord login = replay.records().stream()
                .filter(r -> r.kind() == RecordKind.LOGIN && "orders-api".equals(r.session().application()))
                .findFirst().orElseThrow();
        assertThat(login.session().authMethod()).isEqualTo("scram-sha-256"); // pg_hba: host … scram-sha-256
    }

    @Test
    void rowCountsMatchWhatTheClientReceived() {
        assertThat(textRecord("SELECT * FROM customers ORDER BY id").response().rows()).isEqualTo(500L);
        assertThat(textRecord("SELECT id, name FROM customers WHERE id = 42").response().rows()).isEqualTo(1L);
        assertThat(textRecord("UPDATE customers SET email = 'new@example.com' WHERE id IN (1, 2, 3)")
                .response().rowsAffected()).isEqualTo(3L);
        TransactionRecord insert = textRecord(
                "INSERT INTO customers SELECT g, 'customer ' || g, 'c' || g || '@example.com' FROM generate_series(1, 500) g");
        assertThat(insert.response().rowsAffected()).isEqualTo(500L);
        assertThat(insert.response().rows()).isNull();
    }

    @Test
    void durationsAgreeWithTheServerLog() {
        int compared = 0;
        for (Map.Entry<Integer, ServerLog.Connection> e : log.connections.entrySet()) {
            List<TransactionRecord> records = statementsOf(e.getKey());
            List<ServerLog.Statement> logged = e.getValue().statements;
            if (records.size() != logged.size()) {
                continue; // multi-statement strings: one logged duration for several records
            }
            for (int i = 0; i < records.size(); i++) {
                Double ms = logged.get(i).durationMs;
                Long us = records.get(i).response().durationUs();
                if (ms == null || us == null) {
                    continue;
                }
                // The sensor sees request-first-byte to response-last-byte on the wire: never much shorter
                // than the server's own execution time, and not far above it on loopback.
                assertThat(us).as("%s", logged.get(i)).isBetween((long) (ms * 1000 * 0.5) - 2_000, (long) (ms * 1000) + 200_000);
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(10);
    }

    @Test
    void failedLoginsAreLoginRecordsAndRaiseBruteforce() {
        long loggedFailures = log.connections.values().stream().filter(c -> "28P01".equals(c.loginError)).count();
        assertThat(loggedFailures).isEqualTo(FAILED_LOGINS);
        List<TransactionRecord> failed = replay.records().stream()
                .filter(r -> r.kind() == RecordKind.LOGIN && r.status() == RecordStatus.ERROR)
                .collect(Collectors.toList());
        assertThat(failed).hasSize(FAILED_LOGINS);
        assertThat(failed).allSatisfy(r -> assertThat(r.error().code()).isEqualTo("28P01"));
        long okLogins = replay.records().stream()
                .filter(r -> r.kind() == RecordKind.LOGIN && r.status() == RecordStatus.OK).count();
        assertThat(okLogins).isEqualTo(log.connections.values().stream().filter(c -> c.authorized).count() - 1);
        List<Alert> bruteforce = replay.alerts().stream()
                .filter(a -> a.detection().equals("auth_bruteforce")).collect(Collectors.toList());
        // One alert when the threshold is crossed; the failures after it are folded into a follow-up that the
        // end of the suppression (here: the end of the capture) reports with their count.
        assertThat(bruteforce).hasSize(2);
        assertThat(bruteforce.get(0).folded()).isZero();
        assertThat(bruteforce.get(0).observed()).containsEntry("failed_logins", 10);
        assertThat(bruteforce.get(1).folded()).isEqualTo(FAILED_LOGINS - 10);
        assertThat(bruteforce).allSatisfy(a -> assertThat(a.clientIp()).isEqualTo("127.0.0.1"));
    }

    @Test
    void tlsSessionIsReportedWithoutStatements() {
        List<TransactionRecord> tls = replay.records().stream().filter(r -> r.kind() == RecordKind.TLS)
                .collect(Collectors.toList());
        assertThat(tls).hasSize(1);
        assertThat(statementsOf(tls.get(0).client().port())).isEmpty();
    }

    @Test
    void vxlanWrappedCaptureGivesIdenticalRecords() throws Exception {
        Path wrapped = work.resolve("capture-vxlan.pcap");
        VxlanWrapper.wrap(capture, wrapped, 4242);
        CaptureReplay.Result tunnelled = CaptureReplay.replay(wrapped, config);
        List<String> plain = replay.records().stream().map(RecordJson::toJson).collect(Collectors.toList());
        List<String> viaVxlan = tunnelled.records().stream()
                .map(r -> RecordJson.toJson(r).replace("\"vni\":4242", "\"vni\":null"))
                .collect(Collectors.toList());
        assertThat(viaVxlan).isEqualTo(plain);
        assertThat(tunnelled.records()).allSatisfy(r -> assertThat(r.vni()).isEqualTo(4242));
    }

    @Test
    void postgresOnAnUnlistedPortIsRecognisedByItsStartupMessage() throws Exception {
        SensorConfig d = SensorConfig.defaults();
        ProtocolConfig p = d.protocols();
        SensorConfig unlisted = new SensorConfig(d.decap(), d.tcp(),
                new ProtocolConfig(Set.of(5432), p.mysqlPorts(), StatementMode.FULL, p.maxStatementBytes(),
                        p.maxMessageBytes()),
                d.detection());
        assertThat(server.port()).isNotEqualTo(5432);
        CaptureReplay.Result detected = CaptureReplay.replay(capture, unlisted);
        assertThat(detected.records().stream().map(RecordJson::toJson).collect(Collectors.toList()))
                .isEqualTo(replay.records().stream().map(RecordJson::toJson).collect(Collectors.toList()));
    }

    private int tlsClientPort() {
        return replay.records().stream().filter(r -> r.kind() == RecordKind.TLS).mapToInt(r -> r.client().port())
                .findFirst().orElse(-1);
    }

    private TransactionRecord textRecord(String text) {
        return replay.records().stream()
                .filter(r -> r.kind() == RecordKind.STATEMENT && r.statement().text().replaceAll(";$", "").equals(text))
                .findFirst().orElseThrow(() -> new AssertionError("no record for " + text));
    }
}
