package io.dbwire.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbwire.core.config.DetectionConfig;
import org.junit.jupiter.api.Test;

/** The detection keys added with the baseline detections: toggles and the risky_statement rule list. */
class DetectionKeysTest {
    final ConfigLoader loader = new ConfigLoader();

    @Test
    void togglesAndRulesReachTheEngineConfig() throws Exception {
        DaemonConfig c = loader.parse("""
                detection:
                  rate_spike: {enabled: false}
                  risky_statement:
                    rules:
                      - {name: vacuum, pattern: '^VACUUM\\b', severity: LOW, mitre: T1489, learnable: false}
                """);
        DetectionConfig d = SensorConfigMapper.toSensorConfig(c).detection();
        assertThat(d.rateSpikeEnabled()).isFalse();
        assertThat(d.dataStagingEnabled()).isTrue();
        assertThat(d.riskyRules()).containsExactly(
                new DetectionConfig.RiskyRule("vacuum", "^VACUUM\\b", "low", "T1489", false));
    }

    @Test
    void theDefaultsKeepTheBuiltInRules() {
        assertThat(SensorConfigMapper.toSensorConfig(DaemonConfig.defaults()).detection().riskyRules()).isEmpty();
    }

    @Test
    void badRulesAreRejectedWithTheirKey() {
        assertThatThrownBy(() -> loader.parse("detection: {risky_statement: {rules: [{name: x, pattern: '(', "
                + "severity: high, mitre: T1190, learnable: false}]}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("detection.risky_statement.rules[0].pattern");
        assertThatThrownBy(() -> loader.parse("detection: {risky_statement: {rules: [{name: x, pattern: 'a', "
                + "severity: urgent, mitre: T1190, learnable: false}]}}"))
                .hasMessageContaining("detection.risky_statement.rules[0].severity");
        assertThatThrownBy(() -> loader.parse("detection: {risky_statement: {rules: [{name: x, pattern: 'a', "
                + "severity: high, mitre: X1, learnable: false}]}}"))
                .hasMessageContaining("detection.risky_statement.rules[0].mitre");
        assertThatThrownBy(() -> loader.parse("detection: {risky_statement: {rules: [{name: x, pattern: 'a', "
                + "severity: high, mitre: T1190}]}}"))
                .hasMessageContaining("learnable");
    }

    @Test
    void unknownKeysUnderTheNewSectionsAreRejected() {
        assertThatThrownBy(() -> loader.parse("detection: {data_staging: {enabled: true, floor: 5}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("floor");
    }
}
