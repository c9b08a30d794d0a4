package io.dbwire.daemon.config;

import io.dbwire.core.config.PolicyConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The shape of config/policy.yml as Jackson binds it (strictly: unknown keys and duplicate keys are errors).
 * Group values and ignore rules bind straight to the core's {@link PolicyConfig} records; a rule's think time is
 * a duration here and microseconds there.
 */
record PolicyFile(Groups groups, List<Rule> rules, List<PolicyConfig.Ignore> ignore, AllowList allowlist) {

    record Groups(
            Map<String, List<String>> users,
            Map<String, List<String>> applications,
            Map<String, List<String>> networks,
            Map<String, List<String>> tables,
            Map<String, PolicyConfig.Hours> hours,
            Map<String, PolicyConfig.Windows> windows) {}

    record Rule(String name, String kind, String severity, String users, String applications, String networks,
            String tables, String hours, String windows, List<String> operations, Duration thinkTime,
            Integer interactiveStatements) {}

    /**
     * @param mode off, learn, warn or enforce-alert
     * @param file an allow-list file to import at start (relative to the policy file); null = start empty
     */
    record AllowList(String mode, String file) {}

    /** An allow-list file, as {@code allowlist export} and {@code replay --allowlist-out} write it. */
    record AllowListFile(String mode, List<PolicyConfig.AllowEntry> entries) {}
}
