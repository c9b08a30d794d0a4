package io.dbwire.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.protocol.postgres.PgEvent;
import io.dbwire.core.protocol.postgres.PgSession;
import io.dbwire.core.protocol.sql.SqlNormalizer;
import io.dbwire.core.record.RecordJson;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TlsInfo;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.tcp.CloseReason;
import io.dbwire.core.tcp.ConnectionInfo;
import io.dbwire.core.util.ReasonCounters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The seam as the engine uses it: a real PostgreSQL 15 TLS session ({@code openssl s_client -starttls postgres
 * -keylogfile}) fed whole — SSLRequest, 'S', TLS records — to one {@link PgSession}. With the key log the
 * statement records are those of the clear-text session, marked {@code tls} and {@code decrypted}, and one TLS
 * record follows at the end; without it only the TLS record, with the same metadata and turns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresTlsSeamTest {
    private LocalPostgres server;
    private Path dir;

    @BeforeAll
    void start() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(LocalPostgres.available() && OpenSslHarness.available(),
                    "needs root, openssl and Debian's postgresql-15 (CI installs them)");
        }
        dir = Files.createTempDirectory("dbwire-pg-tls-seam");
        server = LocalPostgres.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    record Run(List<TransactionRecord> records, ReasonCounters<PgEvent> events, TlsContext context) {}

    private Run replay(OpenSslHarness.Capture c, KeyLogStore keys, int chunk) {
        List<TransactionRecord> records = new ArrayList<>();
        ReasonCounters<PgEvent> events = new ReasonCounters<>(PgEvent.class);
        ConnectionInfo ci = new ConnectionInfo(1, -1, "127.0.0.1", 40000, "127.0.0.1", server.port, false, 0);
        TlsContext context = new TlsContext(keys, TlsOptions.DEFAULTS);
        PgSession pg = new PgSession(ci, ProtocolConfig.defaults(), SqlNormalizer.postgres(), records::add, events,
                null, context);
        long ts = 1_000_000;
        for (OpenSslHarness.Chunk ch : c.chunks()) {
            byte[] b = ch.bytes();
            for (int off = 0; off < b.length; off += chunk) {
                int n = Math.min(chunk, b.length - off);
                byte[] scratch = new byte[n];
                System.arraycopy(b, off, scratch, 0, n);
                pg.onData(ch.direction(), scratch, 0, n, ts);
                java.util.Arrays.fill(scratch, (byte) 0x5a); // the session must not keep the delivery's array
            }
            ts += 1_000;
        }
        pg.onClose(CloseReason.FIN, ts);
        return new Run(records, events, context);
    }

    @ParameterizedTest
    @CsvSource({"-tls1_3,TLSv1.3", "-tls1_2,TLSv1.2"})
    void withKeysTheStatementsAreReadAndMarkedDecrypted(String option, String version) throws Exception {
        OpenSslHarness.Capture c = OpenSslHarness.runStarttlsPostgres(dir, server.port, List.of(option),
                PostgresTlsDecryptionTest.workload());
        for (int chunk : new int[] {Integer.MAX_VALUE, 7, 1}) {
            KeyLogStore keys = new KeyLogStore(16, Long.MAX_VALUE / 4);
            keys.addLines(c.keyLog(), 0);
            Run run = replay(c, keys, chunk);
            List<TransactionRecord> rs = run.records();
            assertThat(rs).extracting(TransactionRecord::kind).containsExactly(RecordKind.LOGIN,
                    RecordKind.STATEMENT, RecordKind.STATEMENT, RecordKind.STATEMENT, RecordKind.STATEMENT,
                    RecordKind.STATEMENT, RecordKind.TLS);
            assertThat(rs.subList(0, 6)).allSatisfy(r -> {
                assertThat(r.session().tls()).isTrue();
                assertThat(r.session().decrypted()).isTrue();
                assertThat(r.session().user()).isEqualTo("postgres");
                assertThat(r.tls()).isNull();
            });
            assertThat(rs.subList(1, 6)).extracting(r -> r.statement().text()).containsExactly(
                    "SELECT ? AS answer", "CREATE TEMP TABLE t(x int)", "INSERT INTO t VALUES (?)",
                    "SELECT x FROM t WHERE x > ?", "SELECT nope");
            assertThat(rs.get(4).response().rows()).isEqualTo(2L);
            assertThat(rs.get(5).error().code()).isEqualTo("42703");
            TransactionRecord tls = rs.get(6);
            assertThat(tls.tsMicros()).isEqualTo(1_000_000); // the SSLRequest
            assertThat(tls.session().decrypted()).isTrue();
            assertThat(tls.session().user()).isEqualTo("postgres"); // seen inside TLS
            assertThat(tls.tls().version()).isEqualTo(version);
            assertThat(tls.tls().decrypted()).isTrue();
            assertThat(tls.tls().decryptOutcomes()).containsOnlyKeys("decrypted");
            assertThat(tls.request().bytes()).isEqualTo(tls.tls().client().bytes());
            assertThat(RecordJson.toJson(tls)).contains("\"decrypted\":true").endsWith("\"violations\":{}}}");
            assertThat(run.context().sessions().get(TlsSessionEvent.SESSIONS_DECRYPTED)).isEqualTo(1);
            assertThat(run.events().get(PgEvent.TLS_SESSIONS)).isEqualTo(1);
            assertThat(run.events().get(PgEvent.RESYNCS)).isZero();
        }
    }

    @ParameterizedTest
    @CsvSource({"-tls1_3,TLSv1.3", "-tls1_2,TLSv1.2"})
    void withoutKeysOneTlsRecordWithMetadataAndTurns(String option, String version) throws Exception {
        OpenSslHarness.Capture c = OpenSslHarness.runStarttlsPostgres(dir, server.port, List.of(option),
                PostgresTlsDecryptionTest.workload());
        Run run = replay(c, null, Integer.MAX_VALUE);
        assertThat(run.records()).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(RecordKind.TLS);
            assertThat(r.status()).isEqualTo(RecordStatus.OK);
            assertThat(r.statement()).isNull();
            assertThat(r.session().user()).isNull();
            assertThat(r.session().decrypted()).isFalse();
            TlsInfo t = r.tls();
            assertThat(t.version()).isEqualTo(version);
            assertThat(t.sni()).isEqualTo(OpenSslHarness.SNI);
            assertThat(t.ja4()).matches("t1[23]d\\d{4}[0-9a-z]{2}_[0-9a-f]{12}_[0-9a-f]{12}");
            assertThat(t.ja3Hash()).hasSize(32);
            assertThat(t.cipher()).startsWith("TLS_");
            assertThat(t.decrypted()).isFalse();
            assertThat(t.decryptOutcomes()).containsOnlyKeys("no_keys");
            // TLS 1.2 shows the certificate in clear; TLS 1.3 encrypts it.
            assertThat(t.certificate() == null).isEqualTo(version.equals("TLSv1.3"));
            // s_client writes the whole workload in one go: startup and queries form a single burst (turns
            // count bursts on the wire, not statements), answered by the server's bursts.
            assertThat(t.turns().count()).isPositive();
            assertThat(t.turns().requestBytes()).isPositive();
            assertThat(t.turns().responseBytes()).isPositive();
            assertThat(r.response().durationUs()).isPositive();
        });
        assertThat(run.context().sessions().get(TlsSessionEvent.SESSIONS_METADATA_ONLY)).isEqualTo(1);
    }
}
