package io.dbwire.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbwire.core.config.DetectionConfig;
import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.config.StatementMode;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.TransactionRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The client tool from a connection's first statements, on real PostgreSQL 15 traffic: psql under an application
 * name of its own has a libpq startup (not decisive), and its {@code \d} names it; a libpq application under the
 * same kind of name sending ordinary statements stays libpq.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientToolFromStatementsCaptureTest {
    private PostgresServer server;
    private List<TransactionRecord> records;

    @BeforeAll
    void capture() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(PostgresServer.available() && LoopbackCapture.available(),
                    "needs root, tcpdump and Debian's postgresql-15 (CI installs them)");
        }
        Path work = Files.createTempDirectory("dbwire-pg-tool");
        server = PostgresServer.start();
        Path capture = work.resolve("tool.pcap");
        try (LoopbackCapture tcpdump = LoopbackCapture.start(server.port(), capture)) {
            run("ops-console", List.of("-c", "\\d", "-c", "SELECT 1"));
            run("orders-api", List.of("-c", "SELECT 2", "-c", "SELECT 3"));
            tcpdump.stop();
        }
        SensorConfig d = SensorConfig.defaults();
        ProtocolConfig p = d.protocols();
        records = CaptureReplay.replay(capture, new SensorConfig(d.decap(), d.tcp(),
                new ProtocolConfig(Set.of(server.port()), p.mysqlPorts(), StatementMode.NORMALIZED,
                        p.maxStatementBytes(), p.maxMessageBytes()), DetectionConfig.defaults())).records();
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private void run(String application, List<String> args) throws Exception {
        ExternalProcess.Result r = server.psql("disable", PostgresServer.APP_PASSWORD, application, args, null);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    private List<TransactionRecord> of(String application, RecordKind kind) {
        return records.stream().filter(r -> r.kind() == kind && application.equals(r.session().application()))
                .toList();
    }

    @Test
    void psqlsDescribeNamesItUnderAnyApplicationName() {
        assertThat(of("ops-console", RecordKind.LOGIN)).singleElement()
                .satisfies(l -> assertThat(l.session().clientTool()).isEqualTo("libpq"));
        List<TransactionRecord> statements = of("ops-console", RecordKind.STATEMENT);
        assertThat(statements).hasSize(2);
        assertThat(statements.get(0).statement().text()).contains("pg_catalog.pg_class").contains("\"Schema\"");
        assertThat(statements).allSatisfy(r -> assertThat(r.session().clientTool()).isEqualTo("psql"));
    }

    @Test
    void aLibpqApplicationsOrdinaryStatementsNameNothing() {
        assertThat(of("orders-api", RecordKind.STATEMENT)).hasSize(2)
                .allSatisfy(r -> assertThat(r.session().clientTool()).isEqualTo("libpq"));
    }
}
