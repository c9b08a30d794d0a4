package io.dbwire.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbwire.core.config.SensorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    /** Surefire runs in the module directory; the shipped default file is at the repository root. */
    private static final Path SHIPPED = Path.of("..", "config", "dbwire.yml");

    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void shippedFileParsesAndEqualsBuiltInDefaults() throws Exception {
        assertThat(loader.loadFile(SHIPPED)).isEqualTo(DaemonConfig.defaults());
    }

    @Test
    void builtInDefaultsGiveTheEnginesDefaults() {
        // Except the flow table and the budget itself, which the daemon sizes from the heap (MemoryBudgetTest).
        SensorConfig engine = SensorConfig.defaults();
        SensorConfig expected = new SensorConfig(engine.decap(), new io.dbwire.core.config.TcpConfig(
                MemoryBudget.of(DaemonConfig.defaults()).maxFlows(), engine.tcp().maxBufferedBytesPerFlow(),
                engine.tcp().maxBufferedBytesTotal(), engine.tcp().idleTimeoutMicros()),
                engine.protocols(), engine.detection(), MemoryBudget.of(DaemonConfig.defaults()).engine());
        assertThat(SensorConfigMapper.toSensorConfig(DaemonConfig.defaults())).isEqualTo(expected);
    }

    @Test
    void emptyDocumentMeansDefaults() throws Exception {
        assertThat(loader.parse("")).isEqualTo(DaemonConfig.defaults());
        assertThat(loader.parse("# only a comment\n")).isEqualTo(DaemonConfig.defaults());
    }

    @Test
    void aFileStatesOnlyWhatItChanges() throws Exception {
        DaemonConfig c = loader.parse("tcp:\n  max_flows: 5\n");
        assertThat(c.tcp().maxFlows()).isEqualTo(5);
        assertThat(c.tcp().idleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.listen()).isEqualTo(DaemonConfig.defaults().listen());
    }

    @Test
    void theReorderWindowReachesTheTcpLayerInMicroseconds() throws Exception {
        DaemonConfig c = loader.parse("tcp: {reorder_window_ms: 3}\n");
        assertThat(SensorConfigMapper.toSensorConfig(c).tcp().reorderWindowMicros()).isEqualTo(3_000L);
        assertThat(SensorConfigMapper.toSensorConfig(DaemonConfig.defaults()).tcp().reorderWindowMicros())
                .isEqualTo(io.dbwire.core.config.TcpConfig.DEFAULT_REORDER_WINDOW_MICROS);
    }

    @Test
    void nullSwitchesOptionalFeaturesOff() throws Exception {
        DaemonConfig c = loader.parse("metrics: {port: null}\nalerts: {file: ~}\nlisten: {geneve_port: 6081}\n");
        assertThat(c.metrics().port()).isNull();
        assertThat(c.alerts().file()).isNull();
        assertThat(c.listen().genevePort()).isEqualTo(6081);
    }

    @Test
    void unknownKeyIsRejectedByName() {
        assertThatThrownBy(() -> loader.parse("tcp:\n  max_flow: 5\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("tcp.max_flow: unknown key (expected one of: ")
                .hasMessageContaining("max_flows");
        assertThatThrownBy(() -> loader.parse("detection:\n  new_client: {enabled: true, loud: 1}\n"))
                .hasMessageStartingWith("detection.new_client.loud: unknown key");
        assertThatThrownBy(() -> loader.parse("bogus: 1\n")).hasMessageStartingWith("bogus: unknown key");
    }

    @Test
    void badValueIsRejectedByNameWithWhatWasExpected() {
        assertThatThrownBy(() -> loader.parse("tcp: {max_flows: -3}"))
                .hasMessage("tcp.max_flows: -3 (expected: a positive integer)");
        assertThatThrownBy(() -> loader.parse("tcp: {max_flows: lots}"))
                .hasMessage("tcp.max_flows: lots (expected: an integer)");
        assertThatThrownBy(() -> loader.parse("tcp: {max_flows: 3.5}"))
                .hasMessage("tcp.max_flows: 3.5 (expected: an integer)");
        assertThatThrownBy(() -> loader.parse("tcp: {reorder_window_ms: 20000}"))
                .hasMessage("tcp.reorder_window_ms: 20000 (expected: an integer from 0 to 10000)");
        assertThatThrownBy(() -> loader.parse("decap: {vxlan_ports: [4789, 70000]}"))
                .hasMessage("decap.vxlan_ports[1]: 70000 (expected: an integer from 1 to 65535)");
        assertThatThrownBy(() -> loader.parse("records: {statement: raw}"))
                .hasMessage("records.statement: raw (expected: one of normalized, full, off)");
        assertThatThrownBy(() -> loader.parse("listen: {address: eth0}"))
                .hasMessage("listen.address: eth0 (expected: an IPv4 or IPv6 address)");
        assertThatThrownBy(() -> loader.parse("detection: {auth_bruteforce: {enabled: maybe}}"))
                .hasMessage("detection.auth_bruteforce.enabled: maybe (expected: true or false)");
        assertThatThrownBy(() -> loader.parse("tcp: ~")).hasMessage("tcp: null (expected: a mapping)");
        assertThatThrownBy(() -> loader.parse("- a\n- b\n")).hasMessageStartingWith("(top level):");
    }

    @Test
    void durationsAreSecondsOrOneUnit() throws Exception {
        DaemonConfig c = loader.parse(
                "tcp: {idle_timeout: 90}\ndetection: {learning_period: 7d, suppression: 30s, auth_bruteforce: {window: 2h}}\n");
        assertThat(c.tcp().idleTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.detection().learningPeriod()).isEqualTo(Duration.ofDays(7));
        assertThat(c.detection().suppression()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.detection().authBruteforce().window()).isEqualTo(Duration.ofHours(2));
        assertThat(SensorConfigMapper.toSensorConfig(c).tcp().idleTimeoutMicros()).isEqualTo(90_000_000L);
    }

    @Test
    void badDurationsAreRejectedByName() {
        assertThatThrownBy(() -> loader.parse("tcp: {idle_timeout: 10x}"))
                .hasMessage("tcp.idle_timeout: 10x (expected: " + DurationText.EXPECTED + ")");
        assertThatThrownBy(() -> loader.parse("tcp: {idle_timeout: 0}"))
                .hasMessageStartingWith("tcp.idle_timeout: 0s (expected: a positive");
        assertThatThrownBy(() -> loader.parse("tcp: {idle_timeout: -5}"))
                .hasMessageStartingWith("tcp.idle_timeout: -5 (expected:");
    }

    @Test
    void durationTextRoundTrips() {
        for (String s : List.of("0s", "59s", "1m", "90s", "10m", "1h", "36h", "7d")) {
            assertThat(DurationText.format(DurationText.parse(s))).isEqualTo(s);
        }
        assertThat(DurationText.parse("3600")).isEqualTo(Duration.ofHours(1));
        assertThat(DurationText.parse(" 5M ")).isEqualTo(Duration.ofMinutes(5));
        for (String bad : List.of("", "m", "1.5h", "h1", "1hm", "-1s", "9999999999999s")) {
            assertThat(DurationText.parse(bad)).as(bad).isNull();
        }
    }

    @Test
    void lookupOrderExplicitThenDefaultsThenBuiltIn(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.yml");
        assertThat(loader.load(null, List.of(missing))).isEqualTo(DaemonConfig.defaults());

        Path second = Files.writeString(dir.resolve("second.yml"), "tcp: {max_flows: 7}\n");
        assertThat(loader.load(null, List.of(missing, second)).tcp().maxFlows()).isEqualTo(7);

        assertThatThrownBy(() -> loader.load(missing, List.of(second)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("missing.yml: no such readable file");
    }

    @Test
    void invalidYamlNamesTheLine() {
        assertThatThrownBy(() -> loader.parse("tcp:\n  max_flows: [1\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("not valid YAML");
    }
}
