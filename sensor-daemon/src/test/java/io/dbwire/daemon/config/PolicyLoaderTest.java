package io.dbwire.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbwire.core.config.PolicyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** policy.yml is checked like dbwire.yml: each mistake is one message with the file, the line or key, the shape. */
class PolicyLoaderTest {
    @TempDir
    Path dir;

    Path write(String yaml) throws Exception {
        Path f = dir.resolve("policy.yml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void anUnknownKeyIsNamedWithItsLineAndTheKeysExpected() throws Exception {
        Path f = write("groups:\n  users: {dbas: [postgres]}\nrules:\n  - name: r\n    kind: privileged_off_hours\n"
                + "    user: dbas\n");
        assertThatThrownBy(() -> new PolicyLoader().load(f)).isInstanceOf(ConfigException.class)
                .hasMessage(f + " line 6: rules[0].user: unknown key (expected one of: applications, hours,"
                        + " interactive_statements, kind, name, networks, operations, severity, tables, think_time,"
                        + " users, windows)");
        Path top = write("group:\n  users: {}\n");
        assertThatThrownBy(() -> new PolicyLoader().load(top))
                .hasMessage(top + " line 1: group: unknown key (expected one of: allowlist, groups, ignore, rules)");
    }

    @Test
    void aDuplicateKeyIsNamedWithItsLine() throws Exception {
        Path f = write("groups:\n  users:\n    dbas: [postgres]\n    dbas: [root]\n");
        assertThatThrownBy(() -> new PolicyLoader().load(f))
                .hasMessage(f + ": groups.users.dbas: stated twice (line 4)");
    }

    @Test
    void aWrongShapeSaysWhatWasExpected() throws Exception {
        Path f = write("groups:\n  users:\n    dbas: postgres\n");
        assertThatThrownBy(() -> new PolicyLoader().load(f))
                .hasMessage(f + " line 3: groups.users.dbas: wrong shape (expected: a list)");
        Path d = write("groups: {users: {svc: [app]}}\nrules:\n  - {name: h, kind: human_tool, users: svc,"
                + " think_time: soon, interactive_statements: 3, severity: low}\n");
        assertThatThrownBy(() -> new PolicyLoader().load(d)).hasMessageContaining(d + " line 3: rules[0].think_time:"
                + " wrong shape (expected: a duration like 30s");
    }

    @Test
    void aRuleNamingAMissingGroupIsRefused() throws Exception {
        Path f = write("groups:\n  users: {dbas: [postgres]}\n  hours: {office: {time_zone: UTC, from: \"08:00\","
                + " to: \"18:00\"}}\nrules:\n  - {name: r, kind: privileged_off_hours, users: admins, hours: office,"
                + " severity: high}\n");
        assertThatThrownBy(() -> new PolicyLoader().load(f))
                .hasMessage(f + ": rules[0] (r).users: admins (expected one of the groups.users: dbas)");
    }

    @Test
    void theConfigNamesThePolicyAndABadPolicyStopsTheStart() throws Exception {
        Path policy = write("rules:\n  - {name: r, kind: unapproved_network, networks: nope, severity: low}\n");
        Path config = dir.resolve("dbwire.yml");
        Files.writeString(config, "detection:\n  policy: " + policy + "\n");
        assertThatThrownBy(() -> new ConfigLoader().loadFile(config))
                .hasMessageContaining(policy + ": rules[0] (r).networks: nope");
        Files.writeString(policy, "groups: {networks: {ok: [10.0.0.0/8]}}\n"
                + "rules:\n  - {name: r, kind: unapproved_network, networks: ok, severity: low}\n");
        DaemonConfig c = new ConfigLoader().loadFile(config);
        PolicyConfig p = new PolicyLoader().forConfig(c);
        assertThat(p.rules()).hasSize(1);
        assertThat(new PolicyLoader().forConfig(DaemonConfig.defaults())).isSameAs(PolicyConfig.NONE);
    }

    @Test
    void anAllowListFileIsImportedRelativeToThePolicy() throws Exception {
        Files.writeString(dir.resolve("allow.yml"), "entries:\n  - server: 10.0.0.1:5432\n    user: app\n"
                + "    application: orders-api\n    fingerprints: [b061d4634e4c8efa]\n");
        Path f = write("allowlist: {mode: warn, file: allow.yml}\n");
        PolicyConfig p = new PolicyLoader().load(f);
        assertThat(p.allowlist().mode()).isEqualTo("warn");
        assertThat(p.allowlist().entries()).containsExactly(new PolicyConfig.AllowEntry("10.0.0.1:5432", "app",
                "orders-api", java.util.List.of("b061d4634e4c8efa")));
        Files.writeString(dir.resolve("allow.yml"), "entries:\n  - {user: app, fingerprints: []}\n");
        assertThatThrownBy(() -> new PolicyLoader().load(f)).hasMessageContaining("entries[0].server: missing");
    }

    /** The configuration's loader reads and checks the policy once and hands that on (run, replay, detect, bench). */
    @Test
    void theConfigLoaderHandsOnThePolicyItChecked() throws Exception {
        Path policy = write("groups: {users: {dbas: [postgres]}, hours: {office: {time_zone: UTC, from: \"08:00\","
                + " to: \"18:00\"}}}\nrules:\n  - {name: r, kind: privileged_off_hours, users: dbas, hours: office,"
                + " severity: high}\n");
        Path config = dir.resolve("dbwire.yml");
        Files.writeString(config, "detection: {policy: " + policy + "}\n");
        ConfigLoader loader = new ConfigLoader();
        assertThat(loader.policy()).isSameAs(PolicyConfig.NONE);
        loader.loadFile(config);
        assertThat(loader.policy().rules()).extracting(PolicyConfig.Rule::name).containsExactly("r");
        // what was handed on does not depend on the file any more
        Files.delete(policy);
        assertThat(loader.policy().rules()).hasSize(1);
        Files.writeString(config, "detection: {learning_period: 2h}\n");
        loader.loadFile(config);
        assertThat(loader.policy()).isSameAs(PolicyConfig.NONE);
    }
}
