package io.dbwire.daemon.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.PolicyConfig;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.policy.StatementAllowList;
import io.dbwire.core.detect.state.DetectionSnapshot;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.daemon.config.ConfigLoader;
import io.dbwire.daemon.config.DaemonConfig;
import io.dbwire.daemon.config.PolicyLoader;
import io.dbwire.daemon.config.SensorConfigMapper;
import io.dbwire.daemon.lifecycle.Replay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each policy rule on the bundled real captures (testdata/README.md): pg-basic (psql sessions of user app with
 * application_name orders-api, report and psql, on 2026-11-26 16:03 UTC) and mysql-basic (the mariadb client,
 * program_name mysql, on 2026-12-05 21:10 UTC). Each rule is shown to fire with its group as the evidence says,
 * and to stay quiet when the group or the hours say the traffic is fine.
 */
class PolicyReplayTest {
    static final Path PG = Path.of("../testdata/pg-basic.pcap");
    static final Path MYSQL = Path.of("../testdata/mysql-basic.pcap");

    @TempDir
    Path dir;

    record Run(List<TransactionRecord> records, List<Alert> alerts, DetectionSnapshot state, long ignored) {
        /** First emissions of a detection; repeats folded by suppression come out later with folded > 0. */
        List<Alert> of(String detection) {
            return alerts.stream().filter(a -> a.detection().equals(detection) && a.folded() == 0).toList();
        }
    }

    Run replay(Path capture, String policyYaml) throws Exception {
        return replay(capture, policyYaml, "detection: {learning_period: 1h}\n", null);
    }

    Run replay(Path capture, String policyYaml, String configYaml, String allowMode) throws Exception {
        Path file = dir.resolve("policy-" + System.nanoTime() + ".yml");
        Files.writeString(file, policyYaml);
        DaemonConfig config = new ConfigLoader().parse(configYaml);
        PolicyConfig policy = new PolicyLoader().load(file);
        if (allowMode != null) {
            policy = PolicyLoader.withAllowList(file, policy, allowMode, List.of());
        }
        List<TransactionRecord> records = new ArrayList<>();
        List<Alert> alerts = new ArrayList<>();
        AtomicReference<DetectionSnapshot> state = new AtomicReference<>();
        var summary = Replay.run(SensorConfigMapper.toSensorConfig(config, policy), List.of(capture), records::add,
                alerts::add, null, new Replay.Extras(null, () -> false, null, true, state::set));
        Long ignored = summary.stats().counters().get("detect.policy_ignored");
        return new Run(records, alerts, state.get(), ignored == null ? 0 : ignored);
    }

    @Test
    void theShippedPolicyIsValid() throws Exception {
        PolicyConfig p = new PolicyLoader().load(Path.of("../config/policy.yml"));
        assertThat(p.rules()).extracting(PolicyConfig.Rule::kind).containsExactlyInAnyOrder("privileged_off_hours",
                "sensitive_first_read", "change_outside_window", "human_tool", "unapproved_network");
        assertThat(p.ignore()).hasSize(2);
    }

    @Test
    void privilegedUserOutsideBusinessHours() throws Exception {
        String groups = "groups:\n  users: {dbas: [APP]}\n";
        String rule = "rules:\n  - {name: dba-night, kind: privileged_off_hours, users: dbas, hours: office,"
                + " severity: medium}\n";
        // 16:03 UTC on a Thursday: 17:03 in Berlin, after 08:00-17:00; inside 08:00-18:00
        Run outside = replay(PG, groups + "  hours: {office: {time_zone: Europe/Berlin, days: [mon-fri],"
                + " from: \"08:00\", to: \"17:00\"}}\n" + rule);
        List<Alert> a = outside.of("policy_privileged_off_hours");
        assertThat(a).hasSize(1);
        Alert first = a.get(0);
        assertThat(first.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(first.user()).isEqualTo("app");
        assertThat(first.observed()).containsEntry("rule", "dba-night").containsEntry("users_group", "dbas")
                .containsEntry("local_time", "thu 2026-11-26T17:03:01 Europe/Berlin");
        assertThat(first.baseline()).containsEntry("hours_group", "office");
        assertThat(first.evidence()).first().asString().startsWith("login ok user=app");
        assertThat(first.connectionIds()).isNotEmpty();

        Run inside = replay(PG, groups + "  hours: {office: {time_zone: Europe/Berlin, days: [mon-fri],"
                + " from: \"08:00\", to: \"18:00\"}}\n" + rule);
        assertThat(inside.of("policy_privileged_off_hours")).isEmpty();
        Run weekend = replay(PG, groups + "  hours: {office: {time_zone: Europe/Berlin, days: [sat-sun],"
                + " from: \"00:00\", to: \"24:00\"}}\n" + rule);
        assertThat(weekend.of("policy_privileged_off_hours")).hasSize(1);
    }

    @Test
    void changeOutsideAChangeWindow() throws Exception {
        String rule = "rules:\n  - {name: ddl, kind: change_outside_window, windows: w, severity: high}\n";
        Run outside = replay(PG, "groups:\n  windows: {w: {time_zone: UTC, weekly: [{days: [sat], from: \"02:00\","
                + " to: \"04:00\"}]}}\n" + rule);
        List<Alert> a = outside.of("policy_change_outside_window");
        assertThat(a).hasSize(1);
        assertThat(a.get(0).severity()).isEqualTo(Severity.HIGH);
        assertThat(a.get(0).observed()).containsEntry("operation", "CREATE").containsEntry("rule", "ddl");
        assertThat(a.get(0).baseline()).containsEntry("windows_group", "w");
        assertThat(a.get(0).evidence()).first().asString().startsWith("CREATE TABLE customers");

        Run inside = replay(PG, "groups:\n  windows: {w: {time_zone: UTC, once: [{from: \"2026-11-26T16:00\","
                + " to: \"2026-11-26T16:30\"}]}}\n" + rule);
        assertThat(inside.of("policy_change_outside_window")).isEmpty();
    }

    @Test
    void humanToolOnAServiceAccountByApplicationNameAndProgramName() throws Exception {
        String policy = "groups:\n  users: {svc: [app]}\n  applications: {tools: [psql, mysql, \"DBeaver*\"]}\n"
                + "rules:\n  - {name: human, kind: human_tool, users: svc, applications: tools, severity: high}\n";
        List<Alert> pg = replay(PG, policy).of("policy_human_tool");
        assertThat(pg).hasSize(1);
        assertThat(pg.get(0).observed()).containsEntry("sign", "application").containsEntry("application", "psql")
                .containsEntry("tools_group", "tools");
        List<Alert> my = replay(MYSQL, policy).of("policy_human_tool");
        assertThat(my).isNotEmpty();
        assertThat(my.get(0).observed()).containsEntry("application", "mysql");
        assertThat(my.get(0).server().port()).isEqualTo(13306);

        String otherUsers = policy.replace("svc: [app]", "svc: [svc_*]");
        assertThat(replay(PG, otherUsers).of("policy_human_tool")).isEmpty();
    }

    @Test
    void clientOutsideApprovedNetworks() throws Exception {
        String rule = "rules:\n  - {name: nets, kind: unapproved_network, networks: ok, severity: medium}\n";
        Run outside = replay(PG, "groups:\n  networks: {ok: [10.0.0.0/8, \"2001:db8::/32\"]}\n" + rule);
        List<Alert> a = outside.of("policy_unapproved_network");
        assertThat(a).hasSize(1); // one per (client, server) and suppression period
        assertThat(a.get(0).clientIp()).isEqualTo("127.0.0.1");
        assertThat(a.get(0).baseline()).containsEntry("networks_group", "ok");
        Run inside = replay(PG, "groups:\n  networks: {ok: [127.0.0.0/8]}\n" + rule);
        assertThat(inside.of("policy_unapproved_network")).isEmpty();
    }

    @Test
    void sensitiveTableReadForTheFirstTimeByAUserOrAnApplication() throws Exception {
        String policy = "groups:\n  tables: {pii: [\"public.customers(email)\"]}\n"
                + "rules:\n  - {name: pii, kind: sensitive_first_read, tables: pii, severity: high}\n";
        // learning period 0: every reader is new the first time
        Run run = replay(PG, policy, "detection: {learning_period: 0s}\n", null);
        List<Alert> a = run.of("policy_sensitive_first_read");
        // orders-api's "SELECT id, name … WHERE id = ?" names no sensitive column; its "… WHERE email LIKE ?"
        // does (user app and application orders-api both new); report's "SELECT * …" is the application's first
        assertThat(a).hasSize(2);
        assertThat(a.get(0).observed()).containsEntry("application", "orders-api")
                .containsEntry("first_by", "user+application");
        assertThat(a.get(0).evidence()).first().asString().contains("email LIKE");
        assertThat(a.get(1).observed()).containsEntry("application", "report")
                .containsEntry("first_by", "application");
        assertThat(a.get(1).evidence()).first().asString().isEqualTo("SELECT * FROM customers");

        // within the learning period readers are learnt silently
        assertThat(replay(PG, policy).of("policy_sensitive_first_read")).isEmpty();
    }

    @Test
    void ignoreRulesDropKnownNoiseBeforeAnyDetector() throws Exception {
        Run plain = replay(PG, "rules: []\n");
        assertThat(plain.of("auth_bruteforce")).isNotEmpty();
        Run ignored = replay(PG, "ignore:\n  - {name: lab, clients: [127.0.0.0/8], servers: [\"127.0.0.1:5432\"],"
                + " users: [app]}\n");
        assertThat(ignored.alerts()).isEmpty();
        long appRecords = plain.records().stream().filter(r -> "app".equals(r.session().user())).count();
        assertThat(ignored.ignored()).isEqualTo(appRecords).isPositive();
        // records are still written: ignore rules only keep them from detection
        assertThat(ignored.records()).hasSameSizeAs(plain.records());

        Run byStatement = replay(PG, "ignore:\n  - {applications: [orders-api], operations: [create]}\n"
                + "groups:\n  windows: {w: {time_zone: UTC}}\n"
                + "rules:\n  - {name: ddl, kind: change_outside_window, windows: w, severity: high}\n");
        assertThat(byStatement.of("policy_change_outside_window")).isEmpty();
        assertThat(byStatement.ignored()).isEqualTo(1);
    }

    @Test
    void allowListLearnsExportsImportsAndAlerts() throws Exception {
        Run learn = replay(MYSQL, "allowlist: {mode: learn}\n");
        assertThat(learn.of(StatementAllowList.NAME)).isEmpty();
        Path exported = dir.resolve("allowlist.yml");
        new PolicyLoader().writeAllowList(exported, learn.state().detectors().get(StatementAllowList.NAME));
        String text = Files.readString(exported);
        assertThat(text).contains("server: 127.0.0.1:13306").contains("user: app").contains("application: mysql");

        // the same traffic against its own list: nothing; with one statement taken off: one alert at the mode's level
        String enforce = "allowlist: {mode: enforce-alert, file: " + exported + "}\n";
        assertThat(replay(MYSQL, enforce).of(StatementAllowList.NAME)).isEmpty();
        String deleteFp = learn.records().stream()
                .filter(r -> r.statement() != null && "DELETE".equals(r.statement().operation()))
                .findFirst().orElseThrow().statement().fingerprint();
        String edited = text.replaceAll("(?m)^\\s*- \"?" + deleteFp + "\"?\n", "");
        assertThat(edited).hasLineCount((int) text.lines().count() - 1);
        Files.writeString(exported, edited);
        List<Alert> high = replay(MYSQL, enforce).of(StatementAllowList.NAME);
        assertThat(high).hasSize(1);
        assertThat(high.get(0).severity()).isEqualTo(Severity.HIGH);
        assertThat(high.get(0).observed()).containsEntry("fingerprint", deleteFp).containsEntry("mode", "enforce-alert");
        List<Alert> low = replay(MYSQL, enforce, "detection: {learning_period: 1h}\n", "warn").of(StatementAllowList.NAME);
        assertThat(low).hasSize(1);
        assertThat(low.get(0).severity()).isEqualTo(Severity.LOW);
    }

    @Test
    void theLearntAllowListSurvivesARestartThroughTheStateSnapshot() throws Exception {
        Run learn = replay(MYSQL, "allowlist: {mode: learn}\n");
        var enforce = io.dbwire.core.config.DetectionConfig.defaults().withPolicy(PolicyLoader.withAllowList(
                dir.resolve("p.yml"), io.dbwire.core.config.PolicyConfig.NONE, "enforce-alert", List.of()));
        List<Alert> fresh = new ArrayList<>();
        var notRestored = new io.dbwire.core.detect.DetectionEngine(enforce, fresh::add);
        learn.records().forEach(notRestored::accept);
        notRestored.finish();
        assertThat(fresh).filteredOn(a -> a.detection().equals(StatementAllowList.NAME)).isNotEmpty();

        // the state file's round trip: JSON as StateStore writes it, read back, restored into a new engine
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        DetectionSnapshot saved = json.readValue(json.writeValueAsString(learn.state()), DetectionSnapshot.class);
        List<Alert> restoredAlerts = new ArrayList<>();
        var restored = new io.dbwire.core.detect.DetectionEngine(enforce, restoredAlerts::add);
        assertThat(restored.restore(saved)).isNull();
        learn.records().forEach(restored::accept);
        restored.finish();
        assertThat(restoredAlerts).filteredOn(a -> a.detection().equals(StatementAllowList.NAME)).isEmpty();
    }
}
