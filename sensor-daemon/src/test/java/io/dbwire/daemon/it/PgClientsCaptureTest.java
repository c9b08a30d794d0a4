package io.dbwire.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.largeobject.LargeObject;
import org.postgresql.largeobject.LargeObjectManager;

/**
 * Real clients against a real PostgreSQL 15 in one capture: pgjdbc (pipelined batches, a batch failing
 * part-way, named server-side statements after prepareThreshold, a 30 MB result and a single 20 MB row, COPY
 * both ways and CopyFail through the CopyManager, a statement cancelled with CancelRequest), psql (\copy both
 * ways, COPY TO STDOUT, LISTEN/NOTIFY), failed logins (wrong password, unknown database) and a TLS session.
 * Each connection's records are compared with the server's log statement for statement.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgClientsCaptureTest {
    static final int BIG_ROWS = 30_000;
    static final int BIG_WIDTH = 1_000;
    static final int HUGE_VALUE = 20_000_000;
    static final int BATCH = 300;
    static final int COPY_ROWS = 2_500;
    static final int WRONG_PASSWORDS = 3;
    static final int LO_BYTES = 100_000;
    static final int FETCH = 1_000;
    static final int CURSOR_ROWS = 3_500;

    private PostgresServer server;
    private ServerLog log;
    private CaptureReplay.Result replay;
    private long bigBytesSeenByClient;

    @BeforeAll
    void capture() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(PostgresServer.available() && LoopbackCapture.available(),
                    "needs root, tcpdump and Debian's postgresql-15 (CI installs them)");
        }
        Path work = Files.createTempDirectory("dbwire-pgclients");
        server = PostgresServer.start();
        Path capture = work.resolve("clients.pcap");
        try (LoopbackCapture tcpdump = LoopbackCapture.start(server.port(), capture, 128 * 1024)) {
            jdbcWorkload();
            copyWithJdbc();
            cancelWithJdbc();
            largeObjectWithJdbc();
            protocol32Startup();
            psqlWorkload();
            failedLogins();
            ExternalProcess.Result tls = server.psql("require", PostgresServer.APP_PASSWORD, "tls-client",
                    List.of("-c", "SELECT count(*) FROM items"), null);
            assertThat(tls.exitCode()).as(tls.output()).isZero();
            assertThat(tcpdump.stopCountingDrops()).as("packets the capture itself lost").isZero();
        }
        server.stop();
        log = ServerLog.read(server.csvLog());
        replay = CaptureReplay.replay(capture, PgLogMatch.fullTextConfig(server.port()));
    }

    @AfterAll
    void cleanUp() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private Connection connect(String application) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", PostgresServer.APP_USER);
        props.setProperty("password", PostgresServer.APP_PASSWORD);
        props.setProperty("ApplicationName", application);
        return DriverManager.getConnection(server.jdbcUrl(), props);
    }

    private void jdbcWorkload() throws SQLException {
        try (Connection c = connect("jdbc-main"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)");
            // A batch: pgjdbc pipelines Parse/Bind/Execute for every row before one Sync, and switches to a
            // named statement (S_1) once prepareThreshold (5) executions were reached.
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO items (id, name) VALUES (?, ?)")) {
                for (int i = 1; i <= BATCH; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "item " + i);
                    ps.addBatch();
                }
                assertThat(ps.executeBatch()).hasSize(BATCH);
                // A batch failing part-way: the 3rd row is a duplicate; the server skips the rest up to Sync.
                for (int i = 0; i < 6; i++) {
                    ps.setInt(1, i == 2 ? 1 : 10_000 + i);
                    ps.setString(2, "late " + i);
                    ps.addBatch();
                }
                try {
                    ps.executeBatch();
                    throw new AssertionError("the duplicate key must fail the batch");
                } catch (BatchUpdateException expected) {
                    // 23505 in the server log
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM items WHERE id = ?")) {
                for (int i = 1; i <= 10; i++) {
                    ps.setInt(1, i);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                    }
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT repeat('x', " + BIG_WIDTH + ") FROM generate_series(1, "
                    + BIG_ROWS + ")")) {
                int rows = 0;
                while (rs.next()) {
                    bigBytesSeenByClient += rs.getString(1).length();
                    rows++;
                }
                assertThat(rows).isEqualTo(BIG_ROWS);
            }
            try (ResultSet rs = s.executeQuery("SELECT repeat('y', " + HUGE_VALUE + ")")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).hasSize(HUGE_VALUE);
            }
            // A cursor: Execute with a row limit, PortalSuspended, the next Execute of the same portal.
            c.setAutoCommit(false);
            try (Statement cursor = c.createStatement()) {
                cursor.setFetchSize(FETCH);
                try (ResultSet rs = cursor.executeQuery("SELECT g FROM generate_series(1, " + CURSOR_ROWS + ") g")) {
                    int rows = 0;
                    while (rs.next()) {
                        rows++;
                    }
                    assertThat(rows).isEqualTo(CURSOR_ROWS);
                }
            }
            c.commit();
            c.setAutoCommit(true);
        }
    }

    /** COPY through pgjdbc's CopyManager: FROM STDIN, TO STDOUT, and a CopyFail from a reader that breaks. */
    private void copyWithJdbc() throws Exception {
        try (Connection c = connect("jdbc-copy")) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            StringBuilder data = new StringBuilder();
            for (int i = 0; i < COPY_ROWS; i++) {
                data.append(20_000 + i).append('\t').append("copied ").append(i).append('\n');
            }
            assertThat(copy.copyIn("COPY items FROM STDIN", new java.io.StringReader(data.toString())))
                    .isEqualTo(COPY_ROWS);
            StringWriter out = new StringWriter();
            assertThat(copy.copyOut("COPY items TO STDOUT", out)).isEqualTo(BATCH + COPY_ROWS);
            Reader broken = new Reader() {
                private boolean sent;

                @Override
                public int read(char[] buf, int off, int len) throws IOException {
                    if (sent) {
                        throw new IOException("source broke");
                    }
                    sent = true;
                    String row = "99999\tnever\n";
                    row.getChars(0, row.length(), buf, off);
                    return row.length();
                }

                @Override
                public void close() {}
            };
            try {
                copy.copyIn("COPY items FROM STDIN", broken);
                throw new AssertionError("CopyFail must fail the COPY");
            } catch (IOException | SQLException expected) {
                // the client sent CopyFail; the server answers 57014
            }
        }
    }

    /** pg_sleep cancelled by the client: pgjdbc sends CancelRequest on a new connection. */
    private void cancelWithJdbc() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (Connection c = connect("jdbc-cancel"); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            timer.schedule(() -> {
                s.cancel();
                return null;
            }, 700, TimeUnit.MILLISECONDS);
            try {
                s.execute("SELECT pg_sleep(20)");
                throw new AssertionError("pg_sleep must be cancelled");
            } catch (SQLException expected) {
                assertThat(expected.getSQLState()).isEqualTo("57014");
            }
            s.execute("SELECT 2");
        } finally {
            timer.shutdownNow();
        }
    }

    /** pgjdbc's large object API calls lo_creat, lo_open, lowrite, lo_close through FunctionCall ('F'). */
    private void largeObjectWithJdbc() throws SQLException {
        try (Connection c = connect("jdbc-lo")) {
            c.setAutoCommit(false);
            LargeObjectManager lom = c.unwrap(PGConnection.class).getLargeObjectAPI();
            long oid = lom.createLO();
            try (LargeObject lo = lom.open(oid, LargeObjectManager.WRITE)) {
                lo.write(new byte[LO_BYTES]);
            }
            c.commit();
        }
    }

    /**
     * A StartupMessage asking for protocol 3.2 with a {@code _pq_.} option, by hand: PostgreSQL 15 answers
     * NegotiateProtocolVersion (3.0, option unknown) and then asks for SCRAM; the client hangs up there.
     */
    private void protocol32Startup() throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(body);
        out.writeInt((3 << 16) | 2);
        for (String s : new String[] {"user", PostgresServer.APP_USER, "database", PostgresServer.DATABASE,
                "application_name", "raw-3.2", "_pq_.dbwire_probe", "on"}) {
            out.write(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.write(0);
        }
        out.write(0);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            java.io.DataOutputStream wire = new java.io.DataOutputStream(socket.getOutputStream());
            wire.writeInt(4 + body.size());
            wire.write(body.toByteArray());
            wire.flush();
            java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
            int type;
            do { // read whole messages up to the authentication request
                type = in.readUnsignedByte();
                in.skipNBytes(in.readInt() - 4);
                negotiated |= type == 'v';
            } while (type != 'R');
        }
    }

    private boolean negotiated;

    private void psqlWorkload() throws Exception {
        StringBuilder script = new StringBuilder("CREATE TABLE copied (id int, name text);\n");
        script.append("\\copy copied from stdin\n");
        for (int i = 0; i < COPY_ROWS; i++) {
            script.append(i).append('\t').append("row ").append(i).append('\n');
        }
        script.append("\\.\n");
        script.append("\\copy copied to '/dev/null'\n");
        script.append("COPY (SELECT * FROM copied WHERE id < 100) TO STDOUT;\n");
        script.append("\\copy copied from stdin\n1\tfine\nnot-a-number\tbad\n\\.\n"); // 22P02 mid-COPY
        script.append("BEGIN;\nSELECT 1/0;\nSELECT 1;\nROLLBACK;\n"); // 22012, then 25P02 in the failed block
        script.append("DO $$ BEGIN RAISE NOTICE 'inside; a DO block'; END $$;\n");
        script.append("SELECT 1; SELECT 2; SELECT 3;\n".replace("; S", ";S")); // one Query, three statements
        script.append("LISTEN dbwire_channel;\n");
        script.append("NOTIFY dbwire_channel, 'hello';\n");
        script.append("SELECT count(*) FROM copied;\n");
        ExternalProcess.Result r = server.psql("disable", PostgresServer.APP_PASSWORD, "psql-copy", List.of(),
                script.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("dbwire_channel");
    }

    private void failedLogins() throws Exception {
        for (int i = 0; i < WRONG_PASSWORDS; i++) {
            assertThat(server.psql("disable", "wrong-" + i, "guesser", List.of("-c", "SELECT 1"), null).exitCode())
                    .isNotZero();
        }
        List<String> noDb = List.of("psql", "-X", "-q", "-h", "127.0.0.1", "-p", Integer.toString(server.port()),
                "-U", PostgresServer.APP_USER, "-d", "no_such_db", "-c", "SELECT 1");
        ExternalProcess.Result r = ExternalProcess.run(noDb, Map.of("PGPASSWORD", PostgresServer.APP_PASSWORD,
                "PGSSLMODE", "disable"), null, 60);
        assertThat(r.output()).contains("does not exist");
    }

    // ---- comparisons --------------------------------------------------------------------------------------

    private int portOf(String application) {
        return log.connections.entrySet().stream().filter(e -> e.getValue().application.equals(application))
                .mapToInt(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("no " + application));
    }

    private List<TransactionRecord> records(String application) {
        return PgLogMatch.statements(replay.records(), portOf(application));
    }

    private TransactionRecord record(String application, String textStart) {
        return records(application).stream().filter(r -> r.statement().text() != null
                && r.statement().text().startsWith(textStart)).findFirst()
                .orElseThrow(() -> new AssertionError("no record starting " + textStart + " in " + application));
    }

    @Test
    void everyLoggedStatementIsRecordedInOrderWithItsOutcome() {
        int compared = 0;
        for (String app : List.of("jdbc-main", "jdbc-copy", "jdbc-cancel", "jdbc-lo", "psql-copy")) {
            ServerLog.Connection c = log.connections.get(portOf(app));
            compared += PgLogMatch.assertSameStatements(app, c, records(app));
            PgLogMatch.assertDurations(app, c, records(app));
        }
        System.out.println("clients: statements compared with the log: " + compared);
        System.out.println("clients replay: " + replay.summary());
        assertThat(compared).isGreaterThan(BATCH);
    }

    @Test
    void pipelinedBatchIsOneRecordPerRowAndTheFailedOneCarriesItsError() {
        List<TransactionRecord> inserts = records("jdbc-main").stream()
                .filter(r -> r.statement().operation().equals("INSERT")).collect(Collectors.toList());
        List<TransactionRecord> ok = inserts.stream().filter(r -> r.status() == RecordStatus.OK).toList();
        assertThat(ok).hasSize(BATCH + 2);
        assertThat(ok).allSatisfy(r -> assertThat(r.response().rowsAffected()).isEqualTo(1L));
        List<TransactionRecord> failed = inserts.stream().filter(r -> r.status() == RecordStatus.ERROR).toList();
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).error().code()).isEqualTo("23505");
    }

    @Test
    void cursorFetchesAreOneRecordPerExecuteWithTheirRows() {
        List<TransactionRecord> fetches = records("jdbc-main").stream()
                .filter(r -> r.statement().text() != null && r.statement().text().startsWith("SELECT g FROM"))
                .toList();
        assertThat(fetches).extracting(r -> r.response().rows()).containsExactly(1000L, 1000L, 1000L, 500L);
        assertThat(fetches).allSatisfy(r -> assertThat(r.status()).isEqualTo(RecordStatus.OK));
    }

    @Test
    void psqlErrorsMidCopyAndInAFailedTransactionCarryTheirSqlState() {
        List<String> errors = records("psql-copy").stream().filter(r -> r.status() == RecordStatus.ERROR)
                .map(r -> r.error().code()).toList();
        assertThat(errors).containsExactly("22P02", "22012", "25P02");
        TransactionRecord notice = record("psql-copy", "DO $$");
        assertThat(notice.status()).isEqualTo(RecordStatus.OK);
        assertThat(records("psql-copy").stream().map(r -> PgLogMatch.clean(r.statement().text())))
                .containsSubsequence("SELECT 1", "SELECT 2", "SELECT 3");
    }

    @Test
    void namedStatementsAfterPrepareThresholdKeepTheirText() {
        List<TransactionRecord> selects = records("jdbc-main").stream()
                .filter(r -> "SELECT name FROM items WHERE id = $1".equals(r.statement().text())).toList();
        assertThat(selects).hasSize(10).allSatisfy(r -> {
            assertThat(r.response().rows()).isEqualTo(1L);
            assertThat(r.status()).isEqualTo(RecordStatus.OK);
        });
    }

    @Test
    void largeResultsCountEveryRowAndByte() {
        TransactionRecord big = record("jdbc-main", "SELECT repeat('x'");
        assertThat(big.response().rows()).isEqualTo((long) BIG_ROWS);
        assertThat(bigBytesSeenByClient).isEqualTo((long) BIG_ROWS * BIG_WIDTH);
        // DataRow: type 1 + length 4 + column count 2 + value length 4 + value.
        long dataRows = (long) BIG_ROWS * (1 + 4 + 2 + 4 + BIG_WIDTH);
        assertThat(big.response().bytes()).isBetween(dataRows, dataRows + 200);
        TransactionRecord huge = record("jdbc-main", "SELECT repeat('y'");
        assertThat(huge.response().rows()).isEqualTo(1L);
        long oneRow = 1 + 4 + 2 + 4 + HUGE_VALUE;
        assertThat(huge.response().bytes()).isBetween(oneRow, oneRow + 200);
        assertThat(replay.summary().stats().counters()).doesNotContainKey("postgres.message_truncated")
                .doesNotContainKey("postgres.oversized_length");
    }

    @Test
    void fastpathFunctionCallsAreStatementsNamedByOid() {
        List<TransactionRecord> calls = records("jdbc-lo").stream()
                .filter(r -> r.statement().operation().equals("FUNCTION_CALL")).toList();
        long logged = log.connections.get(portOf("jdbc-lo")).statements.stream()
                .filter(s -> s.text.startsWith("fastpath function call")).count();
        assertThat(calls).hasSize((int) logged).isNotEmpty();
        assertThat(calls).allSatisfy(r -> assertThat(r.status()).isEqualTo(RecordStatus.OK));
        long written = calls.stream().filter(r -> r.request().bytes() > LO_BYTES).count();
        assertThat(written).as("the lowrite call carries the data").isEqualTo(1);
    }

    @Test
    void copyBothWaysCountsRowsAndCopyFailIsAnError() {
        List<TransactionRecord> copies = records("jdbc-copy").stream()
                .filter(r -> r.statement().operation().equals("COPY")).toList();
        assertThat(copies).hasSize(3);
        TransactionRecord in = copies.get(0);
        assertThat(in.response().rowsAffected()).isEqualTo((long) COPY_ROWS);
        assertThat(in.response().rows()).isNull();
        assertThat(in.request().bytes()).isGreaterThan(COPY_ROWS * 10L);
        TransactionRecord out = copies.get(1);
        assertThat(out.response().rows()).isEqualTo((long) BATCH + COPY_ROWS);
        assertThat(out.response().rowsAffected()).isEqualTo((long) BATCH + COPY_ROWS);
        TransactionRecord fail = copies.get(2);
        assertThat(fail.status()).isEqualTo(RecordStatus.ERROR);
        assertThat(fail.error().code()).isEqualTo("57014");

        TransactionRecord psqlIn = record("psql-copy", "COPY  copied FROM STDIN");
        assertThat(psqlIn.response().rowsAffected()).isEqualTo((long) COPY_ROWS);
        TransactionRecord psqlOut = record("psql-copy", "COPY  copied TO STDOUT");
        assertThat(psqlOut.response().rows()).isEqualTo((long) COPY_ROWS);
        TransactionRecord query = record("psql-copy", "COPY (SELECT");
        assertThat(query.response().rows()).isEqualTo(100L);
    }

    @Test
    void failedLoginsCarryTheirSqlState() {
        List<TransactionRecord> failed = replay.records().stream()
                .filter(r -> r.kind() == RecordKind.LOGIN && r.status() == RecordStatus.ERROR).toList();
        List<String> logged = log.connections.values().stream().filter(c -> c.loginError != null)
                .map(c -> c.loginError).toList();
        assertThat(failed.stream().map(r -> r.error().code()).toList()).isEqualTo(logged);
        assertThat(logged).containsExactly("28P01", "28P01", "28P01", "3D000");
        TransactionRecord noDb = failed.get(WRONG_PASSWORDS);
        assertThat(noDb.session().database()).isEqualTo("no_such_db");
        assertThat(noDb.error().message()).contains("no_such_db");
    }

    @Test
    void protocol32StartupAnsweredWithNegotiateProtocolVersionIsParsed() {
        assertThat(negotiated).as("PostgreSQL 15 answered NegotiateProtocolVersion").isTrue();
        TransactionRecord login = replay.records().stream().filter(r -> r.kind() == RecordKind.LOGIN
                && "raw-3.2".equals(r.session().application())).findFirst().orElseThrow();
        assertThat(login.status()).isEqualTo(RecordStatus.INCOMPLETE); // the client hung up at the SCRAM request
        assertThat(login.session().user()).isEqualTo(PostgresServer.APP_USER);
        // 'v': 1 + 4 + int32 minor + int32 count + "_pq_.dbwire_probe\0"; 'R' SASL: 1 + 4 + 4 + "SCRAM-SHA-256\0\0"
        long negotiate = 1 + 4 + 4 + 4 + "_pq_.dbwire_probe".length() + 1;
        long sasl = 1 + 4 + 4 + "SCRAM-SHA-256".length() + 2;
        assertThat(login.response().bytes()).isEqualTo(negotiate + sasl);
        assertThat(replay.summary().stats().counters()).doesNotContainKeys("postgres.protocol_violation_body",
                "postgres.protocol_violation_length", "postgres.protocol_violation_type",
                "postgres.unsupported_protocol_version", "postgres.internal_error_resynced",
                "postgres.internal_error_closed");
    }

    @Test
    void tlsSessionIsOneRecordWithoutStatements() {
        List<TransactionRecord> tls = replay.records().stream().filter(r -> r.kind() == RecordKind.TLS).toList();
        assertThat(tls).hasSize(1);
        assertThat(tls.get(0).session().tls()).isTrue();
        // request.bytes: the TLS bytes the client sent after its 8-byte SSLRequest (docs/records.md)
        assertThat(tls.get(0).request().bytes()).isEqualTo(tls.get(0).tls().client().bytes()).isGreaterThan(8L);
        assertThat(replay.records().stream().filter(r -> r.client().port() == tls.get(0).client().port()))
                .hasSize(1);
    }

    @Test
    void cancelRequestIsRecordedWhileTheVictimRuns() {
        List<TransactionRecord> cancels = replay.records().stream().filter(r -> r.kind() == RecordKind.CANCEL)
                .toList();
        assertThat(cancels).hasSize(1);
        TransactionRecord victim = record("jdbc-cancel", "SELECT pg_sleep");
        assertThat(victim.status()).isEqualTo(RecordStatus.ERROR);
        assertThat(victim.error().code()).isEqualTo("57014");
        long cancelTs = cancels.get(0).tsMicros();
        assertThat(cancelTs).isBetween(victim.tsMicros(), victim.tsMicros() + victim.response().durationUs());
    }
}
