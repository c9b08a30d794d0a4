package io.dbwire.core.config;

import java.util.List;

/**
 * Detection settings; durations in microseconds of packet time. The detection-specific thresholds (floors,
 * ratios, minimum history) are fixed constants documented in docs/alerts.md; this record holds what an operator
 * switches or replaces.
 *
 * @param learningPeriodMicros     time from the first record during which baselines learn and nothing new alerts
 * @param newClientEnabled         whether {@code new_client} runs
 * @param bruteforceEnabled        whether {@code auth_bruteforce} runs
 * @param bruteforceThreshold      failed logins from one client to one server within the window that alert
 * @param bruteforceWindowMicros   the sliding window for failed logins
 * @param suppressionMicros        repeated alerts of one detection for one entity within this time are folded
 * @param maxEntities              entities tracked per baseline; beyond it the least recently seen are dropped
 * @param maxEvidence              evidence items kept per alert
 * @param dataStagingEnabled       whether {@code data_staging} runs
 * @param newUserEnabled           whether {@code new_user} runs
 * @param errorBurstEnabled        whether {@code error_burst} runs
 * @param riskyStatementEnabled    whether {@code risky_statement} runs
 * @param newStatementEnabled      whether {@code new_statement} runs
 * @param latencyRegressionEnabled whether {@code latency_regression} runs
 * @param rateSpikeEnabled         whether {@code rate_spike} runs
 * @param tlsDowngradeEnabled      whether {@code tls_downgrade} runs
 * @param riskyRules               the {@code risky_statement} rules; empty = the built-in list
 * @param policy                   the DAM policy (groups, rules, ignore rules, allow-list); {@link PolicyConfig#NONE}
 */
public record DetectionConfig(
        long learningPeriodMicros,
        boolean newClientEnabled,
        boolean bruteforceEnabled,
        int bruteforceThreshold,
        long bruteforceWindowMicros,
        long suppressionMicros,
        int maxEntities,
        int maxEvidence,
        boolean dataStagingEnabled,
        boolean newUserEnabled,
        boolean errorBurstEnabled,
        boolean riskyStatementEnabled,
        boolean newStatementEnabled,
        boolean latencyRegressionEnabled,
        boolean rateSpikeEnabled,
        boolean tlsDowngradeEnabled,
        List<RiskyRule> riskyRules,
        PolicyConfig policy) {

    /**
     * One {@code risky_statement} rule.
     *
     * @param name      rule name, shown in {@code observed.rule}
     * @param pattern   Java regular expression, matched case-insensitively against the normalised statement text
     * @param severity  {@code info}, {@code low}, {@code medium}, {@code high} or {@code critical}
     * @param mitre     MITRE ATT&CK id of its alerts
     * @param learnable true: a user that issued it during its own learning period may keep doing so silently
     *                  (DROP in nightly jobs, an ORM reading pg_catalog); false: it always alerts
     */
    public record RiskyRule(String name, String pattern, String severity, String mitre, boolean learnable) {}

    public DetectionConfig {
        riskyRules = riskyRules == null ? List.of() : List.copyOf(riskyRules);
        policy = policy == null ? PolicyConfig.NONE : policy;
    }

    /** Settings without a policy. */
    public DetectionConfig(long learningPeriodMicros, boolean newClientEnabled, boolean bruteforceEnabled,
            int bruteforceThreshold, long bruteforceWindowMicros, long suppressionMicros, int maxEntities,
            int maxEvidence, boolean dataStagingEnabled, boolean newUserEnabled, boolean errorBurstEnabled,
            boolean riskyStatementEnabled, boolean newStatementEnabled, boolean latencyRegressionEnabled,
            boolean rateSpikeEnabled, boolean tlsDowngradeEnabled, List<RiskyRule> riskyRules) {
        this(learningPeriodMicros, newClientEnabled, bruteforceEnabled, bruteforceThreshold, bruteforceWindowMicros,
                suppressionMicros, maxEntities, maxEvidence, dataStagingEnabled, newUserEnabled, errorBurstEnabled,
                riskyStatementEnabled, newStatementEnabled, latencyRegressionEnabled, rateSpikeEnabled,
                tlsDowngradeEnabled, riskyRules, PolicyConfig.NONE);
    }

    /** These settings with {@code p} as the policy. */
    public DetectionConfig withPolicy(PolicyConfig p) {
        return new DetectionConfig(learningPeriodMicros, newClientEnabled, bruteforceEnabled, bruteforceThreshold,
                bruteforceWindowMicros, suppressionMicros, maxEntities, maxEvidence, dataStagingEnabled,
                newUserEnabled, errorBurstEnabled, riskyStatementEnabled, newStatementEnabled,
                latencyRegressionEnabled, rateSpikeEnabled, tlsDowngradeEnabled, riskyRules, p);
    }

    /** The original settings; the later detections take their defaults (on, built-in rules). */
    public DetectionConfig(long learningPeriodMicros, boolean newClientEnabled, boolean bruteforceEnabled,
            int bruteforceThreshold, long bruteforceWindowMicros, long suppressionMicros, int maxEntities,
            int maxEvidence) {
        this(learningPeriodMicros, newClientEnabled, bruteforceEnabled, bruteforceThreshold, bruteforceWindowMicros,
                suppressionMicros, maxEntities, maxEvidence, true, true, true, true, true, true, true, true, List.of(), PolicyConfig.NONE);
    }

    public static DetectionConfig defaults() {
        return new DetectionConfig(3_600_000_000L, true, true, 10, 300_000_000L, 3_600_000_000L, 100_000, 5);
    }
}
