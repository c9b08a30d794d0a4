package io.dbwire.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbwire.core.config.SensitiveScanConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code detection.sensitive_data}: off by default, its bounds validated, and it reaches the parsers' config. */
class SensitiveDataKeysTest {
    final ConfigLoader loader = new ConfigLoader();

    @Test
    void offByDefaultInTheBuiltInsAndTheShippedFile() throws Exception {
        assertThat(SensorConfigMapper.toSensorConfig(DaemonConfig.defaults()).protocols().sensitiveData())
                .isEqualTo(SensitiveScanConfig.OFF);
        DaemonConfig shipped = loader.loadFile(Path.of("../config/dbwire.yml"));
        assertThat(SensorConfigMapper.toSensorConfig(shipped).protocols().sensitiveData().enabled()).isFalse();
    }

    @Test
    void enabledWithItsBoundsReachesTheProtocolConfig() throws Exception {
        DaemonConfig c = loader.parse("""
                detection:
                  sensitive_data: {enabled: true, max_row_bytes: 1024, max_rows_per_statement: 50}
                """);
        assertThat(SensorConfigMapper.toSensorConfig(c).protocols().sensitiveData())
                .isEqualTo(new SensitiveScanConfig(true, 1024, 50));
    }

    @Test
    void badValuesAndUnknownKeysAreRejectedWithTheirKey() {
        assertThatThrownBy(() -> loader.parse("detection: {sensitive_data: {max_row_bytes: 100000}}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("detection.sensitive_data.max_row_bytes");
        assertThatThrownBy(() -> loader.parse("detection: {sensitive_data: {max_rows_per_statement: 0}}"))
                .hasMessageContaining("detection.sensitive_data.max_rows_per_statement");
        assertThatThrownBy(() -> loader.parse("detection: {sensitive_data: {enabled: true, kinds: [card]}}"))
                .hasMessageContaining("kinds");
    }
}
