package io.dbwire.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.config.StatementMode;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.TlsInfo;
import io.dbwire.core.record.TransactionRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A real MariaDB with TLS, captured on loopback: the {@code mariadb --ssl} client (no key log possible: metadata
 * only), and the same workload in clear and over TLS 1.3 and 1.2 by a Python client speaking the MySQL handshake
 * with Python's ssl key log. With keys the TLS sessions give the clear session's records marked decrypted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsMariaDbCaptureTest {
    static final List<String> QUERIES = List.of("SELECT 42 AS answer", "CREATE TEMPORARY TABLE t(x int)",
            "INSERT INTO t VALUES (1),(2),(3)", "SELECT x FROM t WHERE x > 1", "SELECT nope");

    private MariaDbServer server;
    private Path work;
    private TlsSessions.Result withKeys;
    private TlsSessions.Result withoutKeys;

    @BeforeAll
    void captureWorkload() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(MariaDbServer.available() && LoopbackCapture.available() && TlsSessions.pythonAvailable(),
                    "needs root, tcpdump, python3 and Debian's mariadb-server/mariadb-client (CI installs them)");
        }
        work = Files.createTempDirectory("dbwire-tls-mariadb-it");
        server = MariaDbServer.start();
        Path capture = work.resolve("capture.pcap");
        Path k13 = work.resolve("tls13.keys");
        Path k12 = work.resolve("tls12.keys");
        try (LoopbackCapture tcpdump = LoopbackCapture.start(server.port(), capture)) {
            run(null, "none");
            run(k13, "1.3");
            run(k12, "1.2");
            ExternalProcess.Result cli = server.tlsClient(List.of("-e", "SELECT 1"));
            assertThat(cli.exitCode()).as(cli.output()).isZero();
            tcpdump.stop();
        }
        server.stop();
        SensorConfig config = configFor(server.port());
        withKeys = TlsSessions.replay(capture, config, List.of(k13, k12));
        withoutKeys = TlsSessions.replay(capture, config, List.of());
    }

    private void run(Path keylog, String version) throws Exception {
        TlsSessions.python(work, "mysql", server.port(), MariaDbServer.APP_USER, MariaDbServer.APP_PASSWORD,
                MariaDbServer.DATABASE, keylog, version, QUERIES);
    }

    @AfterAll
    void cleanUp() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private List<Integer> ports(TlsSessions.Result r) {
        return r.records().stream().filter(x -> x.kind() == RecordKind.LOGIN || x.kind() == RecordKind.TLS)
                .sorted(Comparator.comparingLong(TransactionRecord::tsMicros))
                .map(x -> x.client().port()).distinct().collect(Collectors.toList());
    }

    @Test
    void withKeysTheTlsSessionsGiveTheClearTextRecordsMarkedDecrypted() {
        List<Integer> ports = ports(withKeys);
        assertThat(ports).hasSize(4); // clear, TLS 1.3, TLS 1.2, mariadb --ssl
        List<TransactionRecord> clear = withKeys.of(ports.get(0));
        // login, the five queries, and COM_QUIT (a statement record of its own in MySQL)
        assertThat(clear).extracting(TransactionRecord::kind).startsWith(RecordKind.LOGIN).hasSize(2 + QUERIES.size());
        assertThat(clear.get(clear.size() - 1).statement().operation()).isEqualTo("QUIT");
        TlsSessions.assertSameAsClear(withKeys.of(ports.get(1)), clear);
        TlsSessions.assertSameAsClear(withKeys.of(ports.get(2)), clear);
        assertThat(withKeys.of(ports.get(3))).isEmpty(); // the MariaDB client cannot log keys

        assertThat(withKeys.tls()).filteredOn(r -> r.session().decrypted()).hasSize(2).allSatisfy(r -> {
            assertThat(r.protocol()).isEqualTo("mysql");
            assertThat(r.tls().decryptOutcomes()).containsOnlyKeys("decrypted");
            assertThat(r.session().user()).isEqualTo(MariaDbServer.APP_USER);
        });
        assertThat(withKeys.summary().stats().counters()).containsEntry("tls.sessions_decrypted", 2L);
        assertThat(withKeys.summary().stats().problems()).doesNotContainKeys("mysql.gaps", "mysql.resyncs");
    }

    @Test
    void withoutKeysEachTlsSessionIsOneRecordWithItsMetadata() {
        List<TransactionRecord> tls = withoutKeys.tls();
        assertThat(tls).hasSize(3);
        assertThat(withoutKeys.records()).filteredOn(r -> r.session().tls() && r.kind() != RecordKind.TLS).isEmpty();
        assertThat(tls).allSatisfy(r -> {
            TlsInfo t = r.tls();
            assertThat(t.decrypted()).isFalse();
            assertThat(t.cipher()).startsWith("TLS_");
            assertThat(t.ja4()).matches("t1[23][di]\\d{4}[0-9a-z]{2}_[0-9a-f]{12}_[0-9a-f]{12}");
            assertThat(t.turns().count()).isPositive();
            assertThat(r.request().bytes()).isEqualTo(t.client().bytes());
        });
        assertThat(tls).extracting(r -> r.tls().version()).contains("TLSv1.3", "TLSv1.2");
        assertThat(tls).extracting(r -> r.tls().turns()).containsExactlyInAnyOrderElementsOf(
                withKeys.tls().stream().map(r -> r.tls().turns()).collect(Collectors.toList()));
        assertThat(withoutKeys.summary().stats().problems()).doesNotContainKeys("mysql.gaps", "mysql.resyncs");
    }

    private static SensorConfig configFor(int port) {
        SensorConfig d = SensorConfig.defaults();
        ProtocolConfig p = d.protocols();
        return new SensorConfig(d.decap(), d.tcp(),
                new ProtocolConfig(p.postgresPorts(), Set.of(port), StatementMode.FULL, p.maxStatementBytes(),
                        p.maxMessageBytes()),
                d.detection());
    }
}
