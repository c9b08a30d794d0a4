package io.dbwire.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.protocol.postgres.PgEvent;
import io.dbwire.core.protocol.postgres.PgSession;
import io.dbwire.core.protocol.sql.SqlNormalizer;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.tcp.CloseReason;
import io.dbwire.core.tcp.ConnectionInfo;
import io.dbwire.core.tcp.Direction;
import io.dbwire.core.util.ReasonCounters;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PostgreSQL's own TLS: {@code openssl s_client -starttls postgres -keylogfile} sends SSLRequest, completes the
 * handshake with a real PostgreSQL 15 (ssl = on), then speaks the protocol (StartupMessage, simple queries,
 * Terminate) inside TLS. Decrypted and handed to an unchanged {@link PgSession}, the bytes must give the same
 * login and statement records as the same session in clear. This is the seam the PostgreSQL parser will use.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresTlsDecryptionTest {
    static final List<String> QUERIES = List.of(
            "SELECT 42 AS answer", "CREATE TEMP TABLE t(x int)", "INSERT INTO t VALUES (1),(2),(3)",
            "SELECT x FROM t WHERE x > 1", "SELECT nope");

    private LocalPostgres server;
    private Path dir;

    @BeforeAll
    void start() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(LocalPostgres.available() && OpenSslHarness.available(),
                    "needs root, openssl and Debian's postgresql-15 (CI installs them)");
        }
        dir = Files.createTempDirectory("dbwire-pg-tls-client");
        server = LocalPostgres.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_3", "-tls1_2"})
    void decryptedSessionGivesTheClearTextRecords(String version) throws Exception {
        OpenSslHarness.Capture c = OpenSslHarness.runStarttlsPostgres(dir, server.port, List.of(version), workload());
        List<TransactionRecord> records = new ArrayList<>();
        ReasonCounters<PgEvent> events = new ReasonCounters<>(PgEvent.class);
        ConnectionInfo ci = new ConnectionInfo(1, -1, "127.0.0.1", 40000, "127.0.0.1", server.port, false, 0);
        PgSession pg = new PgSession(ci, ProtocolConfig.defaults(), SqlNormalizer.postgres(), records::add, events);
        KeyLogStore keys = new KeyLogStore(16, Long.MAX_VALUE / 4);
        keys.addLines(c.keyLog(), 0);
        List<TlsSessionSummary> summaries = new ArrayList<>();
        TlsDecryptingListener tls = new TlsDecryptingListener(pg, keys, summaries::add, TlsOptions.DEFAULTS);

        // The clear-text prelude the PostgreSQL parser handles itself: SSLRequest (8 bytes) and the 'S' answer.
        int[] prelude = {8, 1};
        long ts = 1_000_000;
        for (OpenSslHarness.Chunk chunk : c.chunks()) {
            Direction d = chunk.direction();
            byte[] b = chunk.bytes();
            int skip = Math.min(b.length, prelude[d.ordinal()]);
            if (skip > 0 && d == Direction.SERVER_TO_CLIENT) {
                assertThat(b[0]).isEqualTo((byte) 'S');
            }
            prelude[d.ordinal()] -= skip;
            if (skip < b.length) {
                tls.onData(d, b, skip, b.length - skip, ts);
            }
            ts += 1_000;
        }
        tls.onClose(CloseReason.FIN, ts);

        TlsSessionSummary s = summaries.get(0);
        assertThat(s.version()).isEqualTo(version.equals("-tls1_3") ? "TLSv1.3" : "TLSv1.2");
        assertThat(s.decryptOutcomes()).containsOnlyKeys(DecryptOutcome.DECRYPTED);
        assertThat(s.sni()).isEqualTo(OpenSslHarness.SNI);
        assertThat(s.certificate().subject()).isEqualTo("CN=" + OpenSslHarness.SNI);

        assertThat(records).extracting(TransactionRecord::kind).first().isEqualTo(RecordKind.LOGIN);
        assertThat(records.get(0).status()).isEqualTo(RecordStatus.OK);
        List<TransactionRecord> statements = records.subList(1, records.size());
        assertThat(statements).hasSize(QUERIES.size());
        assertThat(statements).extracting(r -> r.statement().text()).containsExactly(
                "SELECT ? AS answer", "CREATE TEMP TABLE t(x int)", "INSERT INTO t VALUES (?)",
                "SELECT x FROM t WHERE x > ?", "SELECT nope");
        assertThat(statements.get(3).response().rows()).isEqualTo(2L);
        assertThat(statements.get(4).status()).isEqualTo(RecordStatus.ERROR);
        assertThat(statements.get(4).error().code()).isEqualTo("42703");
    }

    /** StartupMessage (protocol 3.0), the queries as simple Query messages, Terminate. */
    static byte[] workload() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] params = "user\0postgres\0database\0postgres\0application_name\0dbwire-tls\0\0"
                .getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(8).putInt(8 + params.length).putInt(196608).array());
        out.writeBytes(params);
        for (String q : QUERIES) {
            byte[] text = (q + "\0").getBytes(StandardCharsets.UTF_8);
            out.write('Q');
            out.writeBytes(ByteBuffer.allocate(4).putInt(4 + text.length).array());
            out.writeBytes(text);
        }
        out.write('X');
        out.writeBytes(ByteBuffer.allocate(4).putInt(4).array());
        return out.toByteArray();
    }
}
