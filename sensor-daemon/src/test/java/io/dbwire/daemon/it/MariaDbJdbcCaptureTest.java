package io.dbwire.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.config.StatementMode;
import io.dbwire.core.record.RecordJson;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
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
 * MariaDB Connector/J against a real MariaDB server, captured on loopback: server-side prepared statements
 * (with the result-set metadata the client caches, MARIADB_CLIENT_CACHE_METADATA), batches executed one by one,
 * a multi-statement, a procedure returning several result sets through a CallableStatement, a duplicate key
 * (1062) and a large result. The records must match the general log command for command, with exact row counts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariaDbJdbcCaptureTest {
    private static final int CAPTURE_BUFFER_KIB = 256 * 1024;
    private static final int BATCH = 20;
    private static final int REPEATS = 5;
    private static final int LARGE_ROWS = 20_000;
    private static final int LONG_DATA_BYTES = 300_000;
    private static final String SELECT_UP_TO = "SELECT id, name, price FROM items WHERE id <= ?";
    private static final String LARGE = "SELECT seq, repeat('r', 100) AS filler FROM seq_1_to_" + LARGE_ROWS
            + " WHERE seq > ?";
    /** Rows of three(): 1 + 3 + 1 from its three SELECTs. */
    private static final long CALL_ROWS = 5;

    private MariaDbServer server;
    private Path work;
    private List<MariaDbGeneralLog.Connection> log;
    private CaptureReplay.Result replay;

    @BeforeAll
    void captureWorkload() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(MariaDbServer.available() && LoopbackCapture.available(),
                    "needs root, tcpdump and Debian's mariadb-server/mariadb-client (CI installs them)");
        }
        work = Files.createTempDirectory("dbwire-mariadb-jdbc-it");
        server = MariaDbServer.start();
        Path capture = work.resolve("capture.pcap");
        try (LoopbackCapture tcpdump = LoopbackCapture.start(server.port(), capture, CAPTURE_BUFFER_KIB)) {
            runWorkload();
            runBulkCompressed();
            runEdgeCases();
            assertThat(tcpdump.stopCountingDrops()).as("packets tcpdump dropped").isZero();
        }
        server.stop();
        log = MariaDbGeneralLog.read(server.generalLog());
        replay = CaptureReplay.replay(capture, configFor(server.port()));
        String dump = System.getenv("DBWIRE_IT_DUMP"); // a directory to keep the capture, log and records in
        if (dump != null) {
            Files.copy(capture, Path.of(dump, "mariadb-jdbc.pcap"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(server.generalLog(), Path.of(dump, "general-jdbc.log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.write(Path.of(dump, "records-jdbc.jsonl"),
                    replay.records().stream().map(RecordJson::toJson).collect(Collectors.toList()));
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

    private String url() {
        // Bulk and rewritten batches off: each addBatch() row is one COM_STMT_EXECUTE, one "Execute" in the log.
        return "jdbc:mariadb://127.0.0.1:" + server.port() + "/" + MariaDbServer.DATABASE
                + "?useServerPrepStmts=true&allowMultiQueries=true&rewriteBatchedStatements=false"
                + "&useBulkStmts=false&useBulkStmtsForInserts=false&sslMode=disable";
    }

    private void runWorkload() throws SQLException {
        try (Connection c = DriverManager.getConnection(url(), MariaDbServer.APP_USER, MariaDbServer.APP_PASSWORD)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE items (id int PRIMARY KEY, name varchar(100) NOT NULL, price decimal(10,2))");
                s.execute("CREATE PROCEDURE three() BEGIN SELECT 1 AS a; SELECT id, name FROM items WHERE id <= 3;"
                        + " SELECT count(*) AS n FROM items; END");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO items VALUES (?, ?, ?)")) {
                for (int i = 1; i <= BATCH; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "item " + i);
                    ps.setBigDecimal(3, BigDecimal.valueOf(i * 125L, 2));
                    ps.addBatch();
                }
                assertThat(ps.executeBatch()).hasSize(BATCH);
                ps.setInt(1, 1); // duplicate key: 1062
                ps.setString(2, "again");
                ps.setBigDecimal(3, BigDecimal.ONE);
                assertThatThrownBy(ps::executeUpdate).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1062));
            }
            // The same statement executed again: from the second execution on, the server sends no column
            // definitions (the client cached them) and the rows follow the column count directly.
            try (PreparedStatement ps = c.prepareStatement(SELECT_UP_TO)) {
                for (int k = 1; k <= REPEATS; k++) {
                    ps.setInt(1, k);
                    assertThat(count(ps.executeQuery())).isEqualTo(k);
                }
            }
            try (Statement s = c.createStatement()) {
                assertThat(s.execute("SELECT 10 AS a; UPDATE items SET price = price + 1 WHERE id = 1;"
                        + " SELECT id FROM items WHERE id < 4")).isTrue();
                count(s.getResultSet());
                assertThat(s.getMoreResults()).isFalse();
                assertThat(s.getUpdateCount()).isEqualTo(1);
                assertThat(s.getMoreResults()).isTrue();
                assertThat(count(s.getResultSet())).isEqualTo(3);
            }
            try (CallableStatement cs = c.prepareCall("{call three()}")) {
                for (int round = 0; round < 2; round++) { // twice: the second one with cached metadata
                    long rows = 0;
                    boolean results = cs.execute();
                    while (results || cs.getUpdateCount() != -1) {
                        if (results) {
                            rows += count(cs.getResultSet());
                        }
                        results = cs.getMoreResults();
                    }
                    assertThat(rows).isEqualTo(CALL_ROWS);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(LARGE)) {
                for (int round = 0; round < 2; round++) {
                    ps.setInt(1, 0);
                    assertThat(count(ps.executeQuery())).isEqualTo(LARGE_ROWS);
                }
            }
        }
    }

    /**
     * Connector/J's defaults for batches (COM_STMT_BULK_EXECUTE: one command, many parameter rows), zlib
     * compression, and no prepared-statement cache (so closing one sends COM_STMT_CLOSE).
     */
    private void runBulkCompressed() throws SQLException {
        String url = "jdbc:mariadb://127.0.0.1:" + server.port() + "/" + MariaDbServer.DATABASE
                + "?useServerPrepStmts=true&useCompression=true&cachePrepStmts=false&sslMode=disable";
        try (Connection c = DriverManager.getConnection(url, MariaDbServer.APP_USER, MariaDbServer.APP_PASSWORD)) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO items VALUES (?, ?, ?)")) {
                for (int i = 1; i <= BATCH; i++) {
                    ps.setInt(1, 1000 + i);
                    ps.setString(2, "bulk " + i);
                    ps.setBigDecimal(3, BigDecimal.TEN);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement(SELECT_UP_TO)) {
                for (int k = 1; k <= 2; k++) {
                    ps.setInt(1, 1000 + k);
                    assertThat(count(ps.executeQuery())).isEqualTo(BATCH + k);
                }
            }
        }
    }

    /**
     * Less common paths: a stream parameter (COM_STMT_SEND_LONG_DATA), a statement the server refuses to prepare
     * (1064: Connector/J then sends it as a text query), a batch failing in its middle (1054), isValid (COM_PING).
     */
    private void runEdgeCases() throws SQLException {
        try (Connection c = DriverManager.getConnection(url(), MariaDbServer.APP_USER, MariaDbServer.APP_PASSWORD)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE docs (id int PRIMARY KEY, body mediumblob)");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO docs VALUES (?, ?)")) {
                ps.setInt(1, 1);
                ps.setBinaryStream(2, new java.io.ByteArrayInputStream(new byte[LONG_DATA_BYTES]));
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            assertThatThrownBy(() -> {
                try (PreparedStatement ps = c.prepareStatement("SELEC broken FROM docs WHERE id = ?")) {
                    ps.setInt(1, 1);
                    ps.executeQuery();
                }
            }).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1064));
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute("SELECT 1; SELECT nope FROM docs; SELECT 3"))
                        .isInstanceOf(SQLException.class);
            }
            assertThat(c.isValid(5)).isTrue();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM docs WHERE id = ?")) {
                ps.setInt(1, 1);
                assertThat(count(ps.executeQuery())).isEqualTo(1);
            }
        }
    }

    private static int count(ResultSet rs) throws SQLException {
        int n = 0;
        try (rs) {
            while (rs.next()) {
                n++;
            }
        }
        return n;
    }

    private static SensorConfig configFor(int port) {
        SensorConfig d = SensorConfig.defaults();
        ProtocolConfig p = d.protocols();
        return new SensorConfig(d.decap(), d.tcp(),
                new ProtocolConfig(p.postgresPorts(), Set.of(port), StatementMode.NORMALIZED, p.maxStatementBytes(),
                        p.maxMessageBytes()),
                d.detection());
    }

    @Test
    void recordsMatchTheGeneralLogCommandForCommand() {
        List<List<TransactionRecord>> connections = MySqlLogMatch.connections(replay.records());
        assertThat(connections).hasSameSizeAs(log);
        long commands = 0;
        for (int i = 0; i < log.size(); i++) {
            commands += MySqlLogMatch.compare(log.get(i), connections.get(i));
        }
        System.out.printf("mariadb jdbc capture: %d records for %d general-log commands%n",
                replay.records().size(), commands);
        assertThat(log).allSatisfy(c -> assertThat(c.commands).extracting(MariaDbGeneralLog.Command::name)
                .contains("Prepare", "Execute"));
    }

    @Test
    void rowCountsAreExactWithCachedMetadata() {
        assertThat(statements(SELECT_UP_TO, "SELECT")).extracting(r -> r.response().rows())
                .containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(statements("CALL three()", "CALL")).extracting(r -> r.response().rows())
                .containsExactly(CALL_ROWS, CALL_ROWS);
        assertThat(statements(LARGE, "SELECT")).extracting(r -> r.response().rows())
                .containsExactly((long) LARGE_ROWS, (long) LARGE_ROWS);
        Map<String, Long> counters = replay.summary().stats().counters();
        assertThat(counters.get("mysql.metadata_skipped")).as("result sets sent without column definitions")
                .isGreaterThanOrEqualTo(REPEATS - 1L);
    }

    @Test
    void batchErrorAndMultiStatementOutcomes() {
        List<TransactionRecord> inserts = statements("INSERT INTO items VALUES (?, ?, ?)", "INSERT");
        assertThat(inserts).hasSize(BATCH + 1);
        assertThat(inserts.subList(0, BATCH)).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(RecordStatus.OK);
            assertThat(r.response().rowsAffected()).isEqualTo(1L);
        });
        assertThat(inserts.get(BATCH).status()).isEqualTo(RecordStatus.ERROR);
        assertThat(inserts.get(BATCH).error().code()).isEqualTo("1062");
        assertThat(statements("UPDATE items SET price = price + ? WHERE id = ?", "UPDATE")).singleElement()
                .satisfies(r -> assertThat(r.response().rowsAffected()).isEqualTo(1L));
        assertThat(replay.records()).filteredOn(r -> r.kind() == RecordKind.LOGIN).hasSize(3)
                .allSatisfy(r -> {
                    assertThat(r.status()).isEqualTo(RecordStatus.OK);
                    assertThat(r.session().user()).isEqualTo(MariaDbServer.APP_USER);
                });
        assertThat(replay.records()).allSatisfy(r -> assertThat(RecordJson.toJson(r)).doesNotContain("app-secret"));
        Map<String, Long> problems = new LinkedHashMap<>(replay.summary().problems());
        problems.keySet().removeIf(k -> !k.startsWith("mysql."));
        assertThat(problems).isEmpty();
    }

    @Test
    void bulkExecuteIsOneCommandOverACompressedConnection() {
        assertThat(statements(1, "INSERT INTO items VALUES (?, ?, ?)", "INSERT")).singleElement()
                .satisfies(r -> assertThat(r.response().rowsAffected()).isEqualTo((long) BATCH));
        assertThat(statements(1, SELECT_UP_TO, "SELECT")).extracting(r -> r.response().rows())
                .containsExactly(BATCH + 1L, BATCH + 2L);
        assertThat(statements(1, SELECT_UP_TO, "CLOSE_STMT")).hasSize(1);
        assertThat(replay.summary().stats().counters().get("mysql.compressed_sessions")).isEqualTo(1L);
    }

    @Test
    void longDataRefusedPrepareAndPing() {
        assertThat(statements(2, "INSERT INTO docs VALUES (?, ?)", "SEND_LONG_DATA")).singleElement()
                .satisfies(r -> assertThat(r.request().bytes()).isGreaterThan(LONG_DATA_BYTES));
        assertThat(MySqlLogMatch.connections(replay.records()).get(2)).filteredOn(MySqlLogMatch::rejectedPrepare)
                .singleElement().satisfies(r -> assertThat(r.error().code()).isEqualTo("1064"));
        assertThat(statements(2, "SELECT nope FROM docs", "SELECT")).singleElement()
                .satisfies(r -> assertThat(r.error().code()).isEqualTo("1054"));
        assertThat(MySqlLogMatch.connections(replay.records()).get(2))
                .filteredOn(r -> "PING".equals(r.statement() == null ? null : r.statement().operation()))
                .singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(RecordStatus.OK));
    }

    /** Statement records (not PREPARE) of one normalised text on the first connection, in order. */
    private List<TransactionRecord> statements(String text, String operation) {
        return statements(0, text, operation);
    }

    private List<TransactionRecord> statements(int connection, String text, String operation) {
        String fingerprint = io.dbwire.core.protocol.sql.SqlNormalizer.mysql().normalize(text).fingerprint();
        List<TransactionRecord> found = new ArrayList<>();
        for (TransactionRecord r : MySqlLogMatch.connections(replay.records()).get(connection)) {
            if (r.kind() == RecordKind.STATEMENT && r.statement() != null
                    && operation.equals(r.statement().operation())
                    && fingerprint.equals(r.statement().fingerprint())) {
                found.add(r);
            }
        }
        return found;
    }
}
