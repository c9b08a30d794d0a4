package io.dbwire.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbwire.core.detect.alert.AlertJson;
import io.dbwire.daemon.cli.DbwireCli;
import io.dbwire.daemon.clock.MicrosClock;
import io.dbwire.daemon.config.ConfigLoader;
import io.dbwire.daemon.console.VxlanDatagrams;
import io.dbwire.daemon.lifecycle.Daemon;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The DAM policy end to end on traffic recorded from a real PostgreSQL 15: an application that creates and reads
 * a customers table while the sensor learns, then a report reading it for the first time, a JDBC session of the
 * service account with pauses like a person typing, psql on the service account granting a privilege, and a load
 * balancer's health check that an ignore rule names. The capture goes through {@code dbwire replay --policy} and,
 * VXLAN-wrapped, through a running {@code Daemon} with {@code detection.policy}; each rule's alert is checked in
 * both, with the rule, group and evidence it names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyCaptureTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long THINK_MILLIS = 1_200;

    private Path work;
    private Path capture;
    private Path policy;
    private PostgresServer server;

    @BeforeAll
    void capture() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(PostgresServer.available() && LoopbackCapture.available(),
                    "needs root, tcpdump and Debian's postgresql-15 (CI installs them)");
        }
        work = Files.createTempDirectory("dbwire-policy");
        server = PostgresServer.start();
        capture = work.resolve("policy.pcap");
        try (LoopbackCapture tcpdump = LoopbackCapture.start(server.port(), capture)) {
            psql("orders-api", "CREATE TABLE customers (id int PRIMARY KEY, name text, email text);"
                    + " INSERT INTO customers VALUES (1, 'a', 'a@example.com'), (2, 'b', 'b@example.com');"
                    + " SELECT email FROM customers WHERE id = 1;");
            Thread.sleep(2_500); // the learning period (2 s) ends
            psql("report", "SELECT name, email FROM customers;");
            interactiveJdbc();
            psql("psql", "GRANT SELECT ON customers TO PUBLIC;");
            psql("lb-check", "SELECT 1;");
            tcpdump.stop();
        }
        // business hours that exclude the capture (and the daemon's receipt time below): in two hours, for one
        ZonedDateTime later = ZonedDateTime.now(ZoneOffset.UTC).plusHours(2);
        String from = String.format("%02d:00", later.getHour());
        String to = String.format("%02d:00", (later.getHour() + 1) % 24);
        policy = work.resolve("policy.yml");
        Files.writeString(policy, String.join("\n",
                "groups:",
                "  users: {privileged: [app], service_accounts: [app]}",
                "  applications: {human_tools: [psql, \"DBeaver*\"]}",
                "  networks: {approved: [10.0.0.0/8]}",
                "  tables: {pii: [\"customers(email)\"]}",
                "  hours: {office: {time_zone: UTC, from: \"" + from + "\", to: \"" + to + "\"}}",
                "  windows: {changes: {time_zone: UTC, once: [{from: \"2020-01-01T00:00\", to: \"2020-01-02T00:00\"}]}}",
                "rules:",
                "  - {name: dba-hours, kind: privileged_off_hours, users: privileged, hours: office, severity: medium}",
                "  - {name: pii-first-read, kind: sensitive_first_read, tables: pii, severity: high}",
                "  - {name: ddl-window, kind: change_outside_window, windows: changes, severity: high}",
                "  - {name: human, kind: human_tool, users: service_accounts, applications: human_tools,",
                "     think_time: 1s, interactive_statements: 3, severity: high}",
                "  - {name: nets, kind: unapproved_network, networks: approved, severity: low}",
                "ignore:",
                "  - {name: health-check, applications: [lb-check], statements: [\"SELECT ?\"]}",
                "allowlist: {mode: warn}",
                ""));
    }

    @AfterAll
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private void psql(String application, String sql) throws Exception {
        ExternalProcess.Result r = server.psql("disable", PostgresServer.APP_PASSWORD, application,
                List.of("-c", sql), null);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    /** Four statements with a person's pauses between them, from an application name no tool list holds. */
    private void interactiveJdbc() throws Exception {
        Properties props = new Properties();
        props.setProperty("user", PostgresServer.APP_USER);
        props.setProperty("password", PostgresServer.APP_PASSWORD);
        props.setProperty("ApplicationName", "billing-job");
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), props); Statement s = c.createStatement()) {
            for (int i = 0; i < 4; i++) {
                if (i > 0) {
                    Thread.sleep(THINK_MILLIS);
                }
                s.execute("SELECT count(*) FROM customers WHERE id > " + i);
            }
        }
    }

    @Test
    void replayWithThePolicyRaisesEachRuleWithItsEvidence() throws Exception {
        Path config = work.resolve("replay.yml");
        Files.writeString(config, "detection: {learning_period: 2s}\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = DbwireCli.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "replay", "--config", config.toString(),
                "--policy", policy.toString(), "--records", work.resolve("records.jsonl").toString(),
                capture.toString());
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        List<JsonNode> alerts = lines(out.toString(StandardCharsets.UTF_8));
        checkRules(alerts, true);

        // the sensitive table: learnt for orders-api during learning; the report's read is the first after it
        List<JsonNode> pii = first(alerts, "policy_sensitive_first_read");
        assertThat(pii).hasSize(1);
        assertThat(pii.get(0).at("/observed/application").asText()).isEqualTo("report");
        assertThat(pii.get(0).at("/observed/first_by").asText()).isEqualTo("application");
        assertThat(pii.get(0).at("/observed/tables_group").asText()).isEqualTo("pii");
        assertThat(pii.get(0).at("/evidence/0").asText()).isEqualTo("SELECT name, email FROM customers");

        // interactive timing: the JDBC session's three pauses of 1.2 s
        JsonNode timing = first(alerts, "policy_human_tool").stream()
                .filter(a -> "interactive_timing".equals(a.at("/observed/sign").asText())).findFirst().orElseThrow();
        assertThat(timing.at("/observed/application").asText()).isEqualTo("billing-job");
        assertThat(timing.at("/observed/pauses").asInt()).isEqualTo(3);
        assertThat(timing.at("/observed/longest_pause_seconds").asDouble()).isGreaterThanOrEqualTo(1.0);

        // the allow-list: learnt from the capture and exported, then imported in enforce-alert mode it holds every
        // statement of the capture (the health check's was never seen by it)
        Path allowOut = work.resolve("allowlist-out.yml");
        List<JsonNode> learn = replay(config, "--allowlist-mode", "learn", "--allowlist-out", allowOut.toString());
        assertThat(first(learn, "allowlist_violation")).isEmpty();
        String exported = Files.readString(allowOut);
        assertThat(exported).contains("mode: learn").contains("application: orders-api")
                .contains("application: report").contains("application: billing-job").doesNotContain("lb-check");
        List<JsonNode> enforce = replay(config, "--allowlist", allowOut.toString(), "--allowlist-mode",
                "enforce-alert");
        assertThat(first(enforce, "allowlist_violation")).isEmpty();
        assertThat(first(enforce, "policy_change_outside_window")).hasSize(2);
        // ignored records are still written: the rule keeps them from detection only
        assertThat(Files.readString(work.resolve("records.jsonl"))).contains("\"application\":\"lb-check\"")
                .contains("\"text\":\"SELECT ?\"");
    }

    /**
     * The capture, VXLAN-wrapped, through a running {@code Daemon} whose {@code detection.policy} is
     * {@code policyText} (written as {@code dir/policy.yml}); the alerts it wrote.
     */
    private List<JsonNode> run(Path dir, String policyText) throws Exception {
        Path wrapped = dir.resolve("policy-vxlan.pcap");
        VxlanWrapper.wrap(capture, wrapped, 77);
        String yaml = "listen: {address: 127.0.0.1, vxlan_port: 0, queue_packets: 8192}\n"
                + "console: {port: null}\n" + "metrics: {port: null}\n"
                + "alerts: {file: " + dir.resolve("alerts.jsonl") + "}\n"
                + "state: {directory: " + dir + "}\n"
                + "detection: {learning_period: 2s, policy: " + dir.resolve("policy.yml") + "}\n";
        Files.writeString(dir.resolve("policy.yml"), policyText);
        Files.writeString(dir.resolve("dbwire.yml"), yaml);
        var config = new ConfigLoader().loadFile(dir.resolve("dbwire.yml"));
        List<byte[]> payloads = VxlanDatagrams.payloads(wrapped);
        Daemon daemon = new Daemon(config,
                new Daemon.Options(true, Duration.ofHours(1), MicrosClock.SYSTEM, AlertJson::toJson));
        daemon.start();
        try {
            VxlanDatagrams.send(payloads, daemon.vxlanAddress());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (daemon.sensorStats().packets() < payloads.size() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            daemon.stop();
        }
        return lines(Files.readString(dir.resolve("alerts.jsonl")));
    }

    @Test
    void runWithThePolicyRaisesTheRulesThatDoNotDependOnTiming() throws Exception {
        Path dir = Files.createTempDirectory(work, "run");
        // the same policy with the allow-list learning, to export it afterwards
        List<JsonNode> alerts = run(dir, Files.readString(policy).replace("mode: warn", "mode: learn"));
        checkRules(alerts, false);
        // the learnt allow-list is kept in the detection state, and `dbwire allowlist export` writes it as the
        // importable YAML
        assertThat(Files.readString(dir.resolve("detection-state.json"))).contains("allowlist_violation");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = DbwireCli.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "allowlist", "export", "--state", dir.toString());
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("# dbwire statement allow-list")
                .contains("mode: learn").contains("application: orders-api").contains("application: psql")
                .doesNotContain("lb-check");
    }

    /**
     * learn → export → enforce-alert, in {@code replay} and in {@code run}: the list learnt from the capture, with
     * the report application's entry taken out as a reviewer would, imported in enforce-alert mode raises a high
     * {@code allowlist_violation} for the report's statement and for nothing else.
     */
    @Test
    void anExportedAllowListIsEnforcedInReplayAndInRun() throws Exception {
        Path config = work.resolve("replay.yml");
        Files.writeString(config, "detection: {learning_period: 2s}\n");
        Path learnt = work.resolve("allowlist-learnt.yml");
        replay(config, "--allowlist-mode", "learn", "--allowlist-out", learnt.toString());
        Path reviewed = work.resolve("allowlist.yml");
        Files.writeString(reviewed, withoutApplication(Files.readString(learnt), "report"));
        assertThat(Files.readString(reviewed)).contains("application: orders-api").doesNotContain("application: report");

        List<JsonNode> replayed = replay(config, "--allowlist", reviewed.toString(), "--allowlist-mode",
                "enforce-alert");
        checkReportViolation(first(replayed, "allowlist_violation"));

        Path dir = Files.createTempDirectory(work, "enforce");
        Files.copy(reviewed, dir.resolve("allowlist.yml"));
        String enforcing = Files.readString(policy).replace("allowlist: {mode: warn}",
                "allowlist: {mode: enforce-alert, file: allowlist.yml}");
        assertThat(enforcing).contains("enforce-alert");
        checkReportViolation(first(run(dir, enforcing), "allowlist_violation"));
    }

    private static void checkReportViolation(List<JsonNode> violations) {
        assertThat(violations).as(violations.toString()).singleElement().satisfies(v -> {
            assertThat(v.at("/severity").asText()).isEqualTo("high");
            assertThat(v.at("/observed/mode").asText()).isEqualTo("enforce-alert");
            assertThat(v.at("/observed/application").asText()).isEqualTo("report");
            assertThat(v.at("/evidence/0").asText()).isEqualTo("SELECT name, email FROM customers");
        });
    }

    /** An exported allow-list without the entries of one application (what a reviewer would strike out). */
    private static String withoutApplication(String yaml, String application) throws Exception {
        ObjectMapper y = new ObjectMapper(com.fasterxml.jackson.dataformat.yaml.YAMLFactory.builder()
                .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.MINIMIZE_QUOTES).build());
        com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode) y.readTree(yaml);
        com.fasterxml.jackson.databind.node.ArrayNode kept = y.createArrayNode();
        tree.withArray("entries").forEach(e -> {
            if (!application.equals(e.path("application").asText())) {
                kept.add(e);
            }
        });
        tree.set("entries", kept);
        return y.writeValueAsString(tree);
    }

    /** What both runs must show; {@code allowListWarns}: the policy's allow-list mode is warn (else learn). */
    private static void checkRules(List<JsonNode> alerts, boolean allowListWarns) {
        JsonNode hours = first(alerts, "policy_privileged_off_hours").get(0);
        assertThat(hours.at("/severity").asText()).isEqualTo("medium");
        assertThat(hours.at("/observed/rule").asText()).isEqualTo("dba-hours");
        assertThat(hours.at("/observed/users_group").asText()).isEqualTo("privileged");
        assertThat(hours.at("/user").asText()).isEqualTo("app");

        List<JsonNode> changes = first(alerts, "policy_change_outside_window");
        assertThat(changes).extracting(a -> a.at("/observed/operation").asText())
                .containsExactlyInAnyOrder("CREATE", "GRANT");
        JsonNode grant = changes.stream().filter(a -> a.at("/observed/operation").asText().equals("GRANT"))
                .findFirst().orElseThrow();
        assertThat(grant.at("/mitre").asText()).isEqualTo("T1098");
        assertThat(grant.at("/severity").asText()).isEqualTo("high");
        assertThat(grant.at("/evidence/0").asText()).isEqualTo("GRANT SELECT ON customers TO PUBLIC");
        assertThat(grant.at("/connection_ids")).isNotEmpty();

        JsonNode tool = first(alerts, "policy_human_tool").stream()
                .filter(a -> "application".equals(a.at("/observed/sign").asText())).findFirst().orElseThrow();
        assertThat(tool.at("/observed/application").asText()).isEqualTo("psql");
        assertThat(tool.at("/observed/tools_group").asText()).isEqualTo("human_tools");

        List<JsonNode> nets = first(alerts, "policy_unapproved_network");
        assertThat(nets).hasSize(1);
        assertThat(nets.get(0).at("/client/ip").asText()).isEqualTo("127.0.0.1");
        assertThat(nets.get(0).at("/severity").asText()).isEqualTo("low");

        // the health check's SELECT 1 raised nothing: the ignore rule dropped it before every detector and the
        // allow-list (its login, which the rule does not name, is seen like any other)
        assertThat(alerts).noneMatch(a -> a.at("/observed/application").asText().equals("lb-check")
                && a.at("/observed/record_kind").asText().equals("statement"));
        List<JsonNode> allow = first(alerts, "allowlist_violation");
        if (allowListWarns) {
            assertThat(allow).isNotEmpty().allMatch(a -> a.at("/severity").asText().equals("low"));
        } else {
            assertThat(allow).isEmpty();
        }
    }

    /** {@code dbwire replay --policy} over the capture with more options; the alerts it printed. */
    private List<JsonNode> replay(Path config, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("replay", "--config", config.toString(), "--policy",
                policy.toString(), "--records", work.resolve("records-" + System.nanoTime() + ".jsonl").toString()));
        args.addAll(List.of(options));
        args.add(capture.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = DbwireCli.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args.toArray(String[]::new));
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return lines(out.toString(StandardCharsets.UTF_8));
    }

    private static List<JsonNode> first(List<JsonNode> alerts, String detection) {
        return alerts.stream().filter(a -> detection.equals(a.path("detection").asText())
                && a.path("folded").asInt() == 0).toList();
    }

    private static List<JsonNode> lines(String text) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                JsonNode n = JSON.readTree(line);
                if (n.has("detection")) {
                    out.add(n);
                }
            }
        }
        return out;
    }
}
