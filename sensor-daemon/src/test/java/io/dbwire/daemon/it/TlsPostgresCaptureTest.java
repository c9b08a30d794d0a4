package io.dbwire.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.config.StatementMode;
import io.dbwire.core.record.RecordJson;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.TlsInfo;
import io.dbwire.core.record.TransactionRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A real PostgreSQL 15 (ssl = on), captured on loopback: the same workload in clear and over TLS 1.3 and 1.2 by a
 * Python client that writes a key log, plus psql with sslmode=require (libpq 15 cannot log keys: metadata only).
 * Replayed with the key logs, the TLS sessions give the clear session's records marked decrypted; without them,
 * one tls record per session with the same metadata and turns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsPostgresCaptureTest {
    static final List<String> QUERIES = List.of("SELECT 42 AS answer", "CREATE TEMP TABLE t(x int)",
            "INSERT INTO t VALUES (1),(2),(3)", "SELECT x FROM t WHERE x > 1", "SELECT nope");

    private PostgresServer server;
    private Path work;
    private TlsSessions.Result withKeys;
    private TlsSessions.Result withoutKeys;

    @BeforeAll
    void captureWorkload() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(PostgresServer.available() && LoopbackCapture.available() && TlsSessions.pythonAvailable(),
                    "needs root, tcpdump, python3 and Debian's postgresql-15 (CI installs them)");
        }
        work = Files.createTempDirectory("dbwire-tls-it");
        server = PostgresServer.start();
        Path capture = work.resolve("capture.pcap");
        Path k13 = work.resolve("tls13.keys");
        Path k12 = work.resolve("tls12.keys");
        try (LoopbackCapture tcpdump = LoopbackCapture.start(server.port(), capture)) {
            run(null, "none");
            run(k13, "1.3");
            run(k12, "1.2");
            ExternalProcess.Result psql = server.psql("require", PostgresServer.APP_PASSWORD, "psql-tls",
                    List.of("-c", "SELECT 1"), null);
            assertThat(psql.exitCode()).as(psql.output()).isZero();
            tcpdump.stop();
        }
        server.stop();
        SensorConfig config = configFor(server.port());
        withKeys = TlsSessions.replay(capture, config, List.of(k13, k12));
        withoutKeys = TlsSessions.replay(capture, config, List.of());
    }

    private void run(Path keylog, String version) throws Exception {
        TlsSessions.python(work, "pg", server.port(), PostgresServer.APP_USER, PostgresServer.APP_PASSWORD,
                PostgresServer.DATABASE, keylog, version, QUERIES);
    }

    @AfterAll
    void cleanUp() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** Client ports of the clear session and of the TLS sessions, in the order they ran. */
    private List<Integer> ports(TlsSessions.Result r) {
        return r.records().stream().filter(x -> x.kind() == RecordKind.LOGIN || x.kind() == RecordKind.TLS)
                .sorted(java.util.Comparator.comparingLong(TransactionRecord::tsMicros))
                .map(x -> x.client().port()).distinct().collect(Collectors.toList());
    }

    @Test
    void withKeysTheTlsSessionsGiveTheClearTextRecordsMarkedDecrypted() {
        List<Integer> ports = ports(withKeys);
        assertThat(ports).hasSize(4); // clear, TLS 1.3, TLS 1.2, psql
        List<TransactionRecord> clear = withKeys.of(ports.get(0));
        assertThat(clear).extracting(TransactionRecord::kind).startsWith(RecordKind.LOGIN).hasSize(1 + QUERIES.size());
        TlsSessions.assertSameAsClear(withKeys.of(ports.get(1)), clear);
        TlsSessions.assertSameAsClear(withKeys.of(ports.get(2)), clear);
        assertThat(withKeys.of(ports.get(3))).isEmpty(); // psql: no key log, nothing decrypted

        List<TransactionRecord> tls = withKeys.tls();
        assertThat(tls).extracting(r -> r.client().port()).containsExactlyInAnyOrder(ports.get(1), ports.get(2),
                ports.get(3));
        assertThat(tls).filteredOn(r -> r.session().decrypted()).hasSize(2).allSatisfy(r -> {
            assertThat(r.tls().decryptOutcomes()).containsOnlyKeys("decrypted");
            assertThat(r.session().user()).isEqualTo(PostgresServer.APP_USER);
        });
        assertThat(withKeys.summary().stats().counters()).containsEntry("tls.sessions_decrypted", 2L)
                .containsEntry("tls.sessions_without_keys", 1L).containsKey("tls.keylog.lookup_hit");
        assertThat(withKeys.summary().stats().problems()).doesNotContainKeys("postgres.gaps", "postgres.resyncs");
    }

    @Test
    void withoutKeysEachTlsSessionIsOneRecordWithItsMetadata() {
        List<TransactionRecord> tls = withoutKeys.tls();
        assertThat(tls).hasSize(3);
        assertThat(withoutKeys.records()).filteredOn(r -> r.session().tls() && r.kind() != RecordKind.TLS).isEmpty();
        assertThat(tls).allSatisfy(r -> {
            TlsInfo t = r.tls();
            assertThat(r.session().decrypted()).isFalse();
            assertThat(t.decrypted()).isFalse();
            assertThat(t.cipher()).startsWith("TLS_");
            // libpq sends no SNI for an IP address ('i'); Python sends the name it was given ('d').
            assertThat(t.ja4()).matches("t1[23][di]\\d{4}[0-9a-z]{2}_[0-9a-f]{12}_[0-9a-f]{12}");
            assertThat(t.handshakeUs()).isNotNegative();
            assertThat(t.turns().count()).isPositive();
            assertThat(r.request().bytes()).isEqualTo(t.client().bytes());
            assertThat(r.response().bytes()).isEqualTo(t.server().bytes());
            assertThat(RecordJson.toJson(r)).contains("\"kind\":\"tls\"").contains("\"ja4\":\"" + t.ja4() + "\"");
        });
        assertThat(tls).extracting(r -> r.tls().version()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2", "TLSv1.3");
        // TLS 1.2 shows the server certificate in clear; TLS 1.3 does not.
        assertThat(tls).filteredOn(r -> r.tls().version().equals("TLSv1.2")).singleElement()
                .satisfies(r -> assertThat(r.tls().certificate().subject()).isEqualTo("CN=db.dbwire.test"));
        assertThat(tls).filteredOn(r -> r.tls().version().equals("TLSv1.3"))
                .allSatisfy(r -> assertThat(r.tls().certificate()).isNull());
        // Metadata and turns come from the wire alone: the same with and without keys.
        assertThat(tls).extracting(r -> r.tls().turns()).containsExactlyInAnyOrderElementsOf(
                withKeys.tls().stream().map(r -> r.tls().turns()).collect(Collectors.toList()));
        assertThat(tls).extracting(r -> r.tls().ja4()).containsExactlyInAnyOrderElementsOf(
                withKeys.tls().stream().map(r -> r.tls().ja4()).collect(Collectors.toList()));
        assertThat(withoutKeys.summary().stats().problems()).doesNotContainKeys("postgres.gaps", "postgres.resyncs");
    }

    private static SensorConfig configFor(int port) {
        SensorConfig d = SensorConfig.defaults();
        ProtocolConfig p = d.protocols();
        return new SensorConfig(d.decap(), d.tcp(),
                new ProtocolConfig(Set.of(port), p.mysqlPorts(), StatementMode.FULL, p.maxStatementBytes(),
                        p.maxMessageBytes()),
                d.detection());
    }
}
