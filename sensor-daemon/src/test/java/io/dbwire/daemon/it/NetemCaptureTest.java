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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Real PostgreSQL and psql in two network namespaces joined by a veth pair; tcpdump in the server namespace.
 * The same workload runs on a clean wire and then with {@code tc netem loss 3% reorder 25% 50% duplicate 5%
 * delay 5ms} on the client side: the sensor sees what the server's interface saw, so the records of both runs
 * must match the server's own statement log. The clean capture is also replayed after a userspace impairment
 * (mirror copies in two VXLAN sessions, swapped frames, IP fragments, duplicates): the records must not change.
 *
 * <p>Needs root, iproute2, tcpdump and PostgreSQL 15; the netem run also needs the kernel's sch_netem module,
 * and is skipped with an assumption message (even under CI) when {@code tc qdisc add ... netem} fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetemCaptureTest {
    private static final String NETEM = "loss 3% reorder 25% 50% duplicate 5% delay 5ms";
    private static final int LOOKUPS = 60;

    private NetemLab lab;
    private Path work;
    private Path capture;
    private String netemError;
    private ServerLog log;
    private SensorConfig config;
    private CaptureReplay.Result replay;

    @BeforeAll
    void runWorkloads() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(NetemLab.available(), "needs root, iproute2, tcpdump and Debian's postgresql-15");
        }
        work = Files.createTempDirectory("dbwire-netem");
        capture = work.resolve("veth.pcap");
        lab = NetemLab.create();
        lab.startPostgres();
        lab.startCapture(capture);
        assertThat(lab.psql("clean", workload("clean_t")).exitCode()).isZero();
        netemError = lab.impairClientSide(NETEM.split(" "));
        if (netemError == null) {
            try {
                assertThat(lab.psql("impaired", workload("impaired_t")).exitCode()).isZero();
            } finally {
                lab.clearImpairment();
            }
        }
        lab.stopCapture();
        lab.stopPostgres();
        log = ServerLog.read(lab.csvLog());
        config = configFor(NetemLab.PORT);
        replay = CaptureReplay.replay(capture, config);
    }

    @AfterAll
    void removeNamespaces() throws Exception {
        try {
            if (lab != null) {
                lab.close();
            }
        } finally {
            if (work != null) {
                ExternalProcess.run(List.of("rm", "-rf", work.toString()), Map.of(), null, 60);
            }
        }
    }

    /** One statement per line (psql sends each as its own Query); a 1.3 MB result; an error. */
    private static String workload(String table) {
        StringBuilder sb = new StringBuilder();
        sb.append("CREATE TABLE ").append(table).append(" (id int PRIMARY KEY, payload text);\n");
        sb.append("INSERT INTO ").append(table).append(" SELECT g, repeat(md5(g::text), 20)")
                .append(" FROM generate_series(1, 2000) g;\n");
        sb.append("SELECT * FROM ").append(table).append(" ORDER BY id;\n");
        for (int i = 1; i <= LOOKUPS; i++) {
            sb.append("SELECT id, length(payload) FROM ").append(table).append(" WHERE id = ").append(i * 7)
                    .append(";\n");
        }
        sb.append("UPDATE ").append(table).append(" SET payload = 'x' WHERE id <= 10;\n");
        sb.append("SELECT * FROM no_such_table;\n");
        return sb.toString();
    }

    private static SensorConfig configFor(int port) {
        SensorConfig d = SensorConfig.defaults();
        ProtocolConfig p = d.protocols();
        return new SensorConfig(d.decap(), d.tcp(),
                new ProtocolConfig(Set.of(port), p.mysqlPorts(), StatementMode.FULL, p.maxStatementBytes(),
                        p.maxMessageBytes()),
                d.detection());
    }

    /** What a statement record says, without timing or tunnel: kind, text, status, error, row counts. */
    private static String essence(TransactionRecord r) {
        return r.kind() + " " + r.client().port() + " " + (r.statement() == null ? "" : r.statement().text())
                + " " + r.status() + " " + (r.error() == null ? "" : r.error().code())
                + (r.response() == null ? "" : " rows=" + r.response().rows() + " affected=" + r.response().rowsAffected());
    }

    private List<TransactionRecord> statementsOf(CaptureReplay.Result result, String application) {
        return result.records().stream()
                .filter(r -> r.kind() == RecordKind.STATEMENT && application.equals(r.session().application()))
                .collect(Collectors.toList());
    }

    /** Statement texts and error codes of the records of one application match the server's log. */
    private void assertMatchesServerLog(String application) {
        List<TransactionRecord> records = statementsOf(replay, application);
        assertThat(records).as("statement records of %s", application).hasSize(LOOKUPS + 5);
        int port = records.get(0).client().port();
        ServerLog.Connection logged = log.connections.get(port);
        assertThat(logged).as("server log for client port %d", port).isNotNull();
        List<String> expected = logged.statements.stream().map(s -> s.text.replaceAll(";$", "").trim())
                .collect(Collectors.toList());
        List<String> got = records.stream().map(r -> r.statement().text().replaceAll(";$", "").trim())
                .collect(Collectors.toList());
        assertThat(got).isEqualTo(expected);
        assertThat(records).allSatisfy(r -> assertThat(r.status()).isIn(RecordStatus.OK, RecordStatus.ERROR));
        assertThat(records.stream().filter(r -> r.status() == RecordStatus.ERROR).map(r -> r.error().code()))
                .containsExactly("42P01");
        TransactionRecord bigSelect = records.get(2);
        assertThat(bigSelect.response().rows()).isEqualTo(2000L);
    }

    @Test
    void cleanWireRecordsMatchTheServerLog() {
        assertMatchesServerLog("clean");
    }

    @Test
    void impairedWireRecordsMatchTheServerLogAndTheCleanRun() {
        assumeTrue(netemError == null, "tc netem is not available on this kernel (sch_netem module missing?): "
                + netemError);
        assertMatchesServerLog("impaired");
        List<String> clean = statementsOf(replay, "clean").stream()
                .map(r -> essence(r).replace(" " + r.client().port() + " ", " ").replace("clean_t", "T"))
                .collect(Collectors.toList());
        List<String> impaired = statementsOf(replay, "impaired").stream()
                .map(r -> essence(r).replace(" " + r.client().port() + " ", " ").replace("impaired_t", "T"))
                .collect(Collectors.toList());
        assertThat(impaired).isEqualTo(clean);
    }

    @Test
    void mirrorCopiesSwapsFragmentsAndDuplicatesLeaveTheRecordsUnchanged() throws Exception {
        Path impaired = work.resolve("impaired-vxlan.pcap");
        ImpairedPcap.Stats done = ImpairedPcap.impair(capture, impaired, 20261126L);
        assertThat(done.swapped()).isPositive();
        assertThat(done.fragmented()).isPositive();
        CaptureReplay.Result messy = CaptureReplay.replay(impaired, config);
        List<String> plain = replay.records().stream().map(NetemCaptureTest::essence).collect(Collectors.toList());
        List<String> viaMirror = messy.records().stream().map(NetemCaptureTest::essence).collect(Collectors.toList());
        assertThat(viaMirror).isEqualTo(plain);
        assertThat(messy.records()).allSatisfy(r -> assertThat(r.vni())
                .isIn(ImpairedPcap.VNI_SOURCE, ImpairedPcap.VNI_DESTINATION));
        Map<String, Long> counters = messy.summary().stats().counters();
        assertThat(counters.get("tcp.mirror_duplicate")).isPositive();
        assertThat(counters.get("decap.tcp_reassembled")).isEqualTo((long) done.fragmented());
        assertThat(counters.get("decap.fragment_duplicate")).isPositive();
        assertThat(counters).doesNotContainKeys("tcp.overlap_conflict", "decap.fragment_overlap_conflict",
                "decap.fragment_timeout", "decap.fragment_invalid");
        assertThat(messy.summary().problems()).doesNotContainKeys("tcp.gap_events", "tcp.gap_bytes");
        assertThat(messy.summary().format()).contains("tcp.mirror_duplicate=");
    }
}
