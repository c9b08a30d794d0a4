package io.dbwire.core.config;

/**
 * Detection settings; durations in microseconds of packet time.
 *
 * @param learningPeriodMicros     time from the first record during which baselines learn and nothing new alerts
 * @param newClientEnabled         whether {@code new_client} runs
 * @param bruteforceEnabled        whether {@code auth_bruteforce} runs
 * @param bruteforceThreshold      failed logins from one client to one server within the window that alert
 * @param bruteforceWindowMicros   the sliding window for failed logins
 * @param suppressionMicros        repeated alerts of one detection for one entity within this time are folded
 * @param maxEntities              entities tracked per baseline; beyond it the least recently seen are dropped
 * @param maxEvidence              evidence items kept per alert
 */
public record DetectionConfig(
        long learningPeriodMicros,
        boolean newClientEnabled,
        boolean bruteforceEnabled,
        int bruteforceThreshold,
        long bruteforceWindowMicros,
        long suppressionMicros,
        int maxEntities,
        int maxEvidence) {
    public static DetectionConfig defaults() {
        return new DetectionConfig(3_600_000_000L, true, true, 10, 300_000_000L, 3_600_000_000L, 100_000, 5);
    }
}
