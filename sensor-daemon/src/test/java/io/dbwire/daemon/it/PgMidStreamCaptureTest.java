package io.dbwire.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.record.TransactionRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A capture that starts while a pgjdbc connection is open and has already prepared a named statement (S_n,
 * after prepareThreshold): the statements run after the start must all appear, marked mid_stream, with no
 * identity, and the executions of the statement prepared before the capture with the placeholder, never a
 * guessed text.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgMidStreamCaptureTest {
    private static final String MARKER = "SELECT 'capture starts after this'";
    private static final String PREPARED_EARLY = "SELECT name FROM late_items WHERE id = $1";
    private static final int EARLY_RUNS_AFTER_START = 6;

    private PostgresServer server;
    private ServerLog log;
    private CaptureReplay.Result replay;
    private int clientPort;

    @BeforeAll
    void capture() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(PostgresServer.available() && LoopbackCapture.available(),
                    "needs root, tcpdump and Debian's postgresql-15 (CI installs them)");
        }
        Path work = Files.createTempDirectory("dbwire-pgmid");
        server = PostgresServer.start();
        Path capture = work.resolve("mid.pcap");
        Properties props = new Properties();
        props.setProperty("user", PostgresServer.APP_USER);
        props.setProperty("password", PostgresServer.APP_PASSWORD);
        props.setProperty("ApplicationName", "jdbc-late");
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), props);
                Statement s = c.createStatement();
                PreparedStatement early = c.prepareStatement(PREPARED_EARLY.replace("$1", "?"))) {
            s.execute("CREATE TABLE late_items (id int PRIMARY KEY, name text)");
            s.execute("INSERT INTO late_items SELECT g, 'n' || g FROM generate_series(1, 100) g");
            for (int i = 1; i <= 7; i++) { // past prepareThreshold: now a named server-side statement
                early.setInt(1, i);
                try (ResultSet rs = early.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                }
            }
            s.execute(MARKER);
            try (LoopbackCapture tcpdump = LoopbackCapture.start(server.port(), capture)) {
                for (int i = 1; i <= EARLY_RUNS_AFTER_START; i++) {
                    early.setInt(1, 10 + i);
                    try (ResultSet rs = early.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                    }
                }
                s.executeQuery("SELECT count(*) FROM late_items").close();
                s.executeUpdate("UPDATE late_items SET name = 'changed' WHERE id <= 5");
                try (PreparedStatement later = c.prepareStatement("SELECT id FROM late_items WHERE name = ?")) {
                    for (int i = 0; i < 7; i++) { // prepared inside the capture: its Parse is seen
                        later.setString(1, "changed");
                        try (ResultSet rs = later.executeQuery()) {
                            assertThat(rs.next()).isTrue();
                        }
                    }
                }
                try {
                    s.execute("SELECT * FROM missing_table");
                } catch (java.sql.SQLException expected) {
                    // 42P01
                }
                c.close();
                tcpdump.stop();
            }
        }
        server.stop();
        log = ServerLog.read(server.csvLog());
        replay = CaptureReplay.replay(capture, PgLogMatch.fullTextConfig(server.port()));
        clientPort = log.connections.entrySet().stream().filter(e -> e.getValue().application.equals("jdbc-late"))
                .mapToInt(java.util.Map.Entry::getKey).findFirst().orElseThrow();
    }

    @AfterAll
    void cleanUp() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** What the server logged after the marker statement: what the capture can show. */
    private List<ServerLog.Statement> loggedAfterStart() {
        List<ServerLog.Statement> all = log.connections.get(clientPort).statements;
        int marker = -1;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).text.equals(MARKER)) {
                marker = i;
            }
        }
        assertThat(marker).isNotNegative();
        return new ArrayList<>(all.subList(marker + 1, all.size()));
    }

    @Test
    void everyLaterStatementIsRecordedAndNothingIsGuessed() {
        List<ServerLog.Statement> logged = loggedAfterStart();
        List<TransactionRecord> records = PgLogMatch.statements(replay.records(), clientPort);
        assertThat(records).hasSameSizeAs(logged);
        int recovered = 0;
        int placeholders = 0;
        for (int i = 0; i < records.size(); i++) {
            TransactionRecord r = records.get(i);
            ServerLog.Statement s = logged.get(i);
            if (r.statement().text() == null) {
                // Only the statement prepared before the capture may lack its text, and then nothing is made up.
                assertThat(s.text).as("placeholder %d", i).isEqualTo(PREPARED_EARLY);
                assertThat(r.statement().fingerprint()).isEqualTo("0000000000000000");
                // The verb comes from the server's CommandComplete tag ("SELECT 1"), never from a guessed text.
                assertThat(r.statement().operation()).isEqualTo("SELECT");
                assertThat(r.statement().textUnknown()).isEqualTo(StatementInfo.PREPARE_NOT_SEEN);
                placeholders++;
            } else {
                assertThat(PgLogMatch.clean(r.statement().text())).as("statement %d", i)
                        .isEqualTo(PgLogMatch.clean(s.text));
                recovered++;
            }
            assertThat(r.status()).as("%s", s).isEqualTo(s.errorCode == null ? RecordStatus.OK : RecordStatus.ERROR);
        }
        assertThat(placeholders).isEqualTo(EARLY_RUNS_AFTER_START);
        System.out.printf("mid-stream: logged after capture start=%d records=%d with text=%d placeholders=%d%n",
                logged.size(), records.size(), recovered, placeholders);
    }

    @Test
    void identityIsUnknownAndMarkedMidStream() {
        List<TransactionRecord> all = replay.records().stream().filter(r -> r.client().port() == clientPort).toList();
        assertThat(all).isNotEmpty().allSatisfy(r -> {
            assertThat(r.kind()).isEqualTo(RecordKind.STATEMENT);
            assertThat(r.session().midStream()).isTrue();
            assertThat(r.session().user()).isNull();
            assertThat(r.session().database()).isNull();
            assertThat(r.session().application()).isNull();
        });
    }

    @Test
    void rowCountsAreKnownEvenWithoutTheStatementText() {
        List<TransactionRecord> records = PgLogMatch.statements(replay.records(), clientPort);
        assertThat(records.stream().filter(r -> r.statement().text() == null))
                .allSatisfy(r -> assertThat(r.response().rows()).isEqualTo(1L));
        TransactionRecord update = records.stream().filter(r -> "UPDATE".equals(r.statement().operation()))
                .findFirst().orElseThrow();
        assertThat(update.response().rowsAffected()).isEqualTo(5L);
    }
}
