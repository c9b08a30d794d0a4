package io.dbwire.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbwire.core.config.DetectionConfig;
import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.config.SensitiveScanConfig;
import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.config.StatementMode;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.record.RecordJson;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.SensitiveCounts;
import io.dbwire.core.record.TransactionRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * Real PostgreSQL 15, real clients: psql (its own application_name), pgjdbc under an application name of its
 * own, sqlcommenter-commented statements from both, and a table of card numbers, social security numbers and
 * e-mail addresses read back with the opt-in sensitive-data scan on. The server's statement log is the ground
 * truth for which statement carried which comment.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttributionPostgresCaptureTest {
    static final String TRACE_A = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    static final String TRACE_B = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    /** Customers: 4 valid cards (one grouped), 1 Luhn-invalid, 3 valid SSNs, 1 never-issued, 5 e-mails. */
    static final String[][] CUSTOMERS = {
        {"1", "ann@example.com", "4111111111111111", "123-45-6788"},
        {"2", "bob@example.org", "5555 5555 5555 4444", "856-45-6789"},
        {"3", "cy@mail.example.net", "378282246310005", "666-12-3456"},
        {"4", "di@example.io", "4111111111111112", "234-56-7890"},
        {"5", "ed@example.co.uk", "6011111111111117", null},
    };

    private PostgresServer server;
    private Path work;
    private Path capture;
    private CaptureReplay.Result replay;
    private ServerLog log;

    @BeforeAll
    void capture() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(PostgresServer.available() && LoopbackCapture.available(),
                    "needs root, tcpdump and Debian's postgresql-15 (CI installs them)");
        }
        work = Files.createTempDirectory("dbwire-pg-attribution");
        server = PostgresServer.start();
        capture = work.resolve("attribution.pcap");
        try (LoopbackCapture tcpdump = LoopbackCapture.start(server.port(), capture)) {
            psql(schemaAndComments());
            jdbc();
            tcpdump.stop();
        }
        server.stop();
        log = ServerLog.read(server.csvLog());
        SensorConfig d = SensorConfig.defaults();
        ProtocolConfig p = d.protocols();
        replay = CaptureReplay.replay(capture, new SensorConfig(d.decap(), d.tcp(),
                new ProtocolConfig(Set.of(server.port()), p.mysqlPorts(), StatementMode.NORMALIZED,
                        p.maxStatementBytes(), p.maxMessageBytes()).withSensitiveData(SensitiveScanConfig.on()),
                new DetectionConfig(0, true, true, 10, 300_000_000L, 3_600_000_000L, 100_000, 5)));
        String dump = System.getenv("DBWIRE_IT_DUMP");
        if (dump != null) {
            Files.write(Path.of(dump, "attribution-pg.jsonl"),
                    replay.records().stream().map(RecordJson::toJson).collect(Collectors.toList()));
        }
    }

    @AfterAll
    void cleanUp() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** psql as a user runs it: no PGAPPNAME, so psql names itself. */
    private void psql(String script) throws Exception {
        ExternalProcess.Result r = ExternalProcess.run(List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", "127.0.0.1", "-p", Integer.toString(server.port()), "-U", PostgresServer.APP_USER,
                "-d", PostgresServer.DATABASE), Map.of("PGPASSWORD", PostgresServer.APP_PASSWORD, "PGSSLMODE", "disable"),
                script, 120);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    private static String schemaAndComments() {
        StringBuilder s = new StringBuilder("CREATE TABLE customers (id int PRIMARY KEY, email text, card text,"
                + " ssn text);\n");
        for (String[] c : CUSTOMERS) {
            s.append("INSERT INTO customers VALUES (").append(c[0]).append(", '").append(c[1]).append("', '")
                    .append(c[2]).append("', ").append(c[3] == null ? "NULL" : "'" + c[3] + "'").append(");\n");
        }
        s.append("SELECT * FROM customers ORDER BY id;\n");
        s.append("SELECT id FROM customers WHERE id = 1 /*action='show',controller='customers',framework='django"
                + "%3A4.2',traceparent='" + TRACE_A + "'*/;\n");
        s.append("SELECT id FROM customers WHERE id = 2 /*action='show',controller='customers',framework='django"
                + "%3A4.2',traceparent='" + TRACE_B + "'*/;\n");
        return s.toString();
    }

    private void jdbc() throws Exception {
        Properties props = new Properties();
        props.setProperty("user", PostgresServer.APP_USER);
        props.setProperty("password", PostgresServer.APP_PASSWORD);
        props.setProperty("ApplicationName", "billing-api");
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), props);
                PreparedStatement ps = c.prepareStatement("SELECT email, card FROM customers WHERE id <= ?"
                        + " /*application='billing',route='%2Finvoices%2F%3Aid',traceparent='" + TRACE_B + "'*/")) {
            ps.setInt(1, 3);
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    n++;
                }
            }
            assertThat(n).isEqualTo(3);
        }
    }

    private List<TransactionRecord> statements() {
        return replay.records().stream().filter(r -> r.kind() == RecordKind.STATEMENT).collect(Collectors.toList());
    }

    private TransactionRecord statementStarting(String prefix) {
        return statements().stream().filter(r -> r.statement().text().startsWith(prefix)).findFirst().orElseThrow();
    }

    @Test
    void clientToolsFromTheStartupOfEachClient() {
        List<TransactionRecord> logins = replay.records().stream().filter(r -> r.kind() == RecordKind.LOGIN)
                .collect(Collectors.toList());
        // pgjdbc 42.x sends no application_name in its startup: it sets it afterwards (SET application_name),
        // which the server reports and later records carry; its startup parameters still name the driver.
        assertThat(logins).extracting(r -> r.session().application(), r -> r.session().clientTool())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("psql", "psql"),
                        org.assertj.core.groups.Tuple.tuple(null, "pgjdbc"));
        // The server's log names the same applications for the same connections.
        assertThat(log.connections.values()).extracting(c -> c.application).containsExactly("psql", "billing-api");
        assertThat(statementStarting("SELECT email, card").session().application()).isEqualTo("billing-api");
        // pgjdbc's login announces its other startup parameters; statement records carry the tool only.
        assertThat(logins.get(1).session().attributes()).containsEntry("client_encoding", "UTF8")
                .containsEntry("DateStyle", "ISO").containsKey("TimeZone");
        assertThat(statements()).allSatisfy(r -> assertThat(r.session().attributes()).isNull());
    }

    @Test
    void sqlcommenterTagsAndTraceContextMatchWhatTheServerLogged() {
        // Ground truth: each statement the server logged with a traceparent, in order, against the records.
        List<String> loggedTraces = new ArrayList<>();
        for (ServerLog.Connection c : log.connections.values()) {
            for (ServerLog.Statement s : c.statements) {
                if (s.text.contains("traceparent=")) {
                    loggedTraces.add(s.text.contains(TRACE_A) ? TRACE_A : TRACE_B);
                }
            }
        }
        List<TransactionRecord> traced = statements().stream()
                .filter(r -> r.statement().attribution() != null).collect(Collectors.toList());
        assertThat(traced).extracting(r -> r.statement().attribution().traceId())
                .containsExactlyElementsOf(loggedTraces.stream().map(t -> t.substring(3, 35))
                        .collect(Collectors.toList()));
        assertThat(traced).hasSize(3);
        TransactionRecord first = traced.get(0);
        assertThat(first.statement().attribution().tags()).containsExactly(Map.entry("action", "show"),
                Map.entry("controller", "customers"), Map.entry("framework", "django:4.2"));
        assertThat(first.statement().attribution().spanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(first.statement().text()).isEqualTo("SELECT id FROM customers WHERE id = ?");
        // One statement from two requests: two trace ids, one fingerprint.
        assertThat(traced.get(1).statement().fingerprint()).isEqualTo(first.statement().fingerprint());
        TransactionRecord jdbc = traced.get(2);
        assertThat(jdbc.session().clientTool()).isEqualTo("pgjdbc");
        assertThat(jdbc.statement().attribution().tags()).containsEntry("application", "billing")
                .containsEntry("route", "/invoices/:id");
    }

    @Test
    void sensitiveCountsMatchTheTableAndNoValueIsInTheRecords() {
        SensitiveCounts all = statementStarting("SELECT * FROM customers").response().sensitive();
        // cards: 4111…1111, 5555 5555 5555 4444, 378282246310005, 6011…1117 (4111…1112 fails Luhn);
        // SSNs: 123-45-6788, 856-45-6789, 234-56-7890 (666-… never issued); e-mails: 5.
        assertThat(all.card()).isEqualTo(4);
        assertThat(all.nationalId()).isEqualTo(3);
        assertThat(all.email()).isEqualTo(5);
        assertThat(all.columns()).containsExactly(new SensitiveCounts.Column(1, 0, 0, 5),
                new SensitiveCounts.Column(2, 4, 0, 0), new SensitiveCounts.Column(3, 0, 3, 0));
        // pgjdbc's extended-protocol read of three rows.
        SensitiveCounts jdbc = statementStarting("SELECT email, card FROM customers").response().sensitive();
        assertThat(jdbc.email()).isEqualTo(3);
        assertThat(jdbc.card()).isEqualTo(3);
        // Statements returning nothing sensitive carry no block.
        assertThat(statementStarting("SELECT id FROM customers").response().sensitive()).isNull();
        String json = replay.records().stream().map(RecordJson::toJson).collect(Collectors.joining("\n"));
        for (String[] c : CUSTOMERS) {
            assertThat(json).doesNotContain(c[1]).doesNotContain(c[2]);
        }
    }

    @Test
    void theFirstReadOfSensitiveDataByEachReaderAlerts() {
        List<Alert> reads = replay.alerts().stream().filter(a -> a.detection().equals("sensitive_data_read"))
                .collect(Collectors.toList());
        // psql and pgjdbc come from the same address as the same user: one reader, one alert (the first read).
        assertThat(reads).hasSize(1);
        Alert a = reads.get(0);
        assertThat(a.severity().json()).isEqualTo("high");
        assertThat(a.observed()).containsEntry("card", 4L).containsEntry("application", "psql");
        assertThat(a.evidence()).singleElement().asString().startsWith("SELECT * FROM customers");
    }

    /** dbwire.yml switching the scan on, for the capture's server port, learning nothing first. */
    private String scanConfig(String more) {
        return "protocols: {postgresql: {ports: [" + server.port() + "]}}\n"
                + "detection: {learning_period: 0s, sensitive_data: {enabled: true}}\n" + more;
    }

    /** The scan end to end through {@code dbwire replay}: the configuration switches it on. */
    @Test
    void theScanWorksThroughDbwireReplay() throws Exception {
        Path config = work.resolve("scan-replay.yml");
        Files.writeString(config, scanConfig(""));
        Path records = work.resolve("scan-replay-records.jsonl");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int exit = io.dbwire.daemon.cli.DbwireCli.execute(
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8), "replay", "--config",
                config.toString(), "--records", records.toString(), capture.toString());
        assertThat(exit).as(err.toString(java.nio.charset.StandardCharsets.UTF_8)).isZero();
        checkScanOutputs(Files.readString(records), out.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The scan end to end in {@code run}: the capture VXLAN-wrapped over loopback to a running Daemon. */
    @Test
    void theScanWorksInRun() throws Exception {
        Path dir = Files.createTempDirectory(work, "scan-run");
        Path wrapped = dir.resolve("attribution-vxlan.pcap");
        VxlanWrapper.wrap(capture, wrapped, 78);
        Files.writeString(dir.resolve("dbwire.yml"), scanConfig(
                "listen: {address: 127.0.0.1, vxlan_port: 0, queue_packets: 8192}\n"
                + "console: {port: null}\nmetrics: {port: null}\n"
                + "records: {file: " + dir.resolve("records.jsonl") + "}\n"
                + "alerts: {file: " + dir.resolve("alerts.jsonl") + "}\n"
                + "state: {directory: " + dir + "}\n"));
        var config = new io.dbwire.daemon.config.ConfigLoader().loadFile(dir.resolve("dbwire.yml"));
        List<byte[]> payloads = io.dbwire.daemon.console.VxlanDatagrams.payloads(wrapped);
        io.dbwire.daemon.lifecycle.Daemon daemon = new io.dbwire.daemon.lifecycle.Daemon(config,
                new io.dbwire.daemon.lifecycle.Daemon.Options(true, java.time.Duration.ofHours(1),
                        io.dbwire.daemon.clock.MicrosClock.SYSTEM, io.dbwire.core.detect.alert.AlertJson::toJson));
        daemon.start();
        try {
            io.dbwire.daemon.console.VxlanDatagrams.send(payloads, daemon.vxlanAddress());
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            while (daemon.sensorStats().packets() < payloads.size() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            daemon.stop();
        }
        checkScanOutputs(Files.readString(dir.resolve("records.jsonl")), Files.readString(dir.resolve("alerts.jsonl")));
    }

    /**
     * What replay and run must both show: the counts the pipeline replay found on the same statements (no value),
     * and the one sensitive_data_read alert.
     */
    private void checkScanOutputs(String recordLines, String alertLines) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<com.fasterxml.jackson.databind.JsonNode> records = new ArrayList<>();
        for (String line : recordLines.split("\n")) {
            if (!line.isBlank()) {
                records.add(json.readTree(line));
            }
        }
        com.fasterxml.jackson.databind.JsonNode all = records.stream()
                .filter(r -> r.at("/statement/text").asText().startsWith("SELECT * FROM customers")).findFirst()
                .orElseThrow().at("/response/sensitive");
        assertThat(all.path("card").asLong()).isEqualTo(4);
        assertThat(all.path("national_id").asLong()).isEqualTo(3);
        assertThat(all.path("email").asLong()).isEqualTo(5);
        assertThat(all.path("columns")).hasSize(3);
        com.fasterxml.jackson.databind.JsonNode jdbc = records.stream()
                .filter(r -> r.at("/statement/text").asText().startsWith("SELECT email, card FROM customers"))
                .findFirst().orElseThrow().at("/response/sensitive");
        assertThat(jdbc.path("email").asLong()).isEqualTo(3);
        assertThat(jdbc.path("card").asLong()).isEqualTo(3);
        for (String[] c : CUSTOMERS) {
            assertThat(recordLines).doesNotContain(c[1]).doesNotContain(c[2]);
            assertThat(alertLines).doesNotContain(c[1]).doesNotContain(c[2]);
        }
        List<com.fasterxml.jackson.databind.JsonNode> reads = new ArrayList<>();
        for (String line : alertLines.split("\n")) {
            if (line.contains("\"detection\":\"sensitive_data_read\"")) {
                reads.add(json.readTree(line));
            }
        }
        assertThat(reads).singleElement().satisfies(a -> {
            assertThat(a.at("/severity").asText()).isEqualTo("high");
            assertThat(a.at("/observed/card").asLong()).isEqualTo(4);
            assertThat(a.at("/evidence/0").asText()).startsWith("SELECT * FROM customers");
        });
    }
}
