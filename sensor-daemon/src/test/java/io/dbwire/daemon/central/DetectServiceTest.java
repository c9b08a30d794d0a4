package io.dbwire.daemon.central;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbwire.daemon.config.ConfigException;
import io.dbwire.daemon.config.ConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code detect} section and the command-line values that replace it; detection.enabled on sensors. */
class DetectServiceTest {
    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void defaultsNeedOnlyABrokerAndTakeItFromTheKafkaOutput() throws ConfigException {
        var config = loader.parse("outputs: {kafka: {bootstrap_servers: 'k1:9092'}}\nstate: {directory: /tmp/s}\n");
        CentralDetection.Settings s = DetectService.settings(config, DetectService.Overrides.NONE);
        assertThat(s.bootstrapServers()).isEqualTo("k1:9092");
        assertThat(s.topics()).containsExactly("dbwire.records");
        assertThat(s.groupId()).isEqualTo("dbwire-detect");
        assertThat(s.skipDetectingSensors()).isTrue();
        assertThat(s.reorderWindow()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.stateDirectory()).isEqualTo(Path.of("/tmp/s"));
        assertThat(s.detection().bruteforceThreshold()).isEqualTo(10);
    }

    @Test
    void theSectionAndTheCommandLineReplaceTheDefaults() throws ConfigException {
        var config = loader.parse("detect:\n  bootstrap_servers: 'k2:9092'\n  records_topics: [a, b]\n"
                + "  group_id: g\n  detecting_sensors: include\n  state_directory: /shared\n"
                + "  properties: {client.id: central-9}\n");
        CentralDetection.Settings s = DetectService.settings(config, DetectService.Overrides.NONE);
        assertThat(s.bootstrapServers()).isEqualTo("k2:9092");
        assertThat(s.topics()).containsExactly("a", "b");
        assertThat(s.skipDetectingSensors()).isFalse();
        assertThat(s.stateDirectory()).isEqualTo(Path.of("/shared"));
        assertThat(CentralDetection.consumerProperties(s)).containsEntry("client.id", "central-9")
                .containsEntry("group.id", "g").containsEntry("enable.auto.commit", "false");
        s = DetectService.settings(config, new DetectService.Overrides("k3:9092", List.of("c"), "h"));
        assertThat(List.of(s.bootstrapServers(), s.topics(), s.groupId()))
                .containsExactly("k3:9092", List.of("c"), "h");
    }

    @Test
    void withoutABrokerDetectSaysWhereToSetOne() throws ConfigException {
        var config = loader.parse("");
        assertThatThrownBy(() -> DetectService.settings(config, DetectService.Overrides.NONE))
                .hasMessageStartingWith("detect.bootstrap_servers: null (expected: the Kafka brokers");
    }

    @Test
    void badValuesAreRefusedWithTheirKey() {
        Map<String, String> cases = Map.of(
                "detect: {records_topics: []}", "detect.records_topics: [] (expected: a list of one or more topic",
                "detect: {detecting_sensors: maybe}", "detect.detecting_sensors: maybe (expected: one of skip, include)",
                "detect: {properties: {enable.auto.commit: 'true'}}", "detect.properties.enable.auto.commit: true",
                "detect: {commit_interval: 0s}", "detect.commit_interval: 0s (expected: a positive",
                "detect: {max_held_records: 0}", "detect.max_held_records: 0",
                "detection: {enabled: maybe}", "detection.enabled");
        cases.forEach((yaml, message) -> assertThatThrownBy(() -> loader.parse(yaml))
                .as(yaml).isInstanceOf(ConfigException.class).hasMessageContaining(message));
    }

    @Test
    void detectionIsOnUnlessSwitchedOff() throws ConfigException {
        assertThat(loader.parse("").detection().on()).isTrue();
        assertThat(loader.parse("detection: {enabled: false}").detection().on()).isFalse();
    }
}
