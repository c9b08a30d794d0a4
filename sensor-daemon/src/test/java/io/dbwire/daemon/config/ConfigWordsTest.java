package io.dbwire.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** YAML 1.1's on/off words: enum keys keep them as words, boolean keys read them as booleans. */
class ConfigWordsTest {
    private static final List<String> TRUE_WORDS = List.of("true", "True", "yes", "Yes", "YES", "on", "On", "ON", "y");
    private static final List<String> FALSE_WORDS = List.of("false", "False", "no", "No", "NO", "off", "Off", "OFF", "n");

    private final ConfigLoader loader = new ConfigLoader();
    private final ObjectMapper tree = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).registerModule(new DurationModule());

    @Test
    void statementOffIsAcceptedBareAndQuoted() throws Exception {
        assertThat(loader.parse("records:\n  statement: off\n").records().statement()).isEqualTo("off");
        assertThat(loader.parse("records:\n  statement: \"off\"\n").records().statement()).isEqualTo("off");
        assertThat(loader.parse("records: {statement: full}").records().statement()).isEqualTo("full");
        assertThat(loader.parse("records: {statement: normalized}").records().statement()).isEqualTo("normalized");
    }

    @Test
    void aWordThatIsNoStatementModeIsStillRejected() {
        assertThatThrownBy(() -> loader.parse("records: {statement: on}"))
                .hasMessage("records.statement: on (expected: one of normalized, full, off)");
        assertThatThrownBy(() -> loader.parse("records: {statement: yes}"))
                .hasMessage("records.statement: yes (expected: one of normalized, full, off)");
    }

    @Test
    void everyBooleanKeyTakesEveryOnOffWord() throws Exception {
        List<String> keys = booleanKeys(tree.valueToTree(DaemonConfig.defaults()), "");
        assertThat(keys).contains("capture.promiscuous", "protocols.detect_other_ports",
                "protocols.postgresql.bind_parameters", "detection.new_client.enabled", "detection.tls_downgrade.enabled");
        for (String key : keys) {
            for (String w : TRUE_WORDS) {
                assertThat(valueAt(loader.parse(yamlSetting(key, w)), key)).as(key + ": " + w).isTrue();
            }
            for (String w : FALSE_WORDS) {
                assertThat(valueAt(loader.parse(yamlSetting(key, w)), key)).as(key + ": " + w).isFalse();
            }
        }
    }

    @Test
    void aBooleanKeyRejectsOtherWordsByName() {
        assertThatThrownBy(() -> loader.parse("capture: {promiscuous: maybe}"))
                .hasMessage("capture.promiscuous: maybe (expected: true or false)");
        assertThatThrownBy(() -> loader.parse("capture: {promiscuous: 1}"))
                .hasMessageStartingWith("capture.promiscuous: 1");
    }

    @Test
    void aStringKeyKeepsAWordAsText() throws Exception {
        assertThat(loader.parse("capture: {interface: on, filter: off}").capture().filter()).isEqualTo("off");
        assertThat(loader.parse("capture: {interface: on}").capture().interfaceName()).isEqualTo("on");
    }

    private boolean valueAt(DaemonConfig c, String key) {
        JsonNode n = tree.valueToTree(c);
        for (String part : key.split("\\.")) {
            n = n.get(part);
        }
        return n.booleanValue();
    }

    /** {@code a.b.c} and a word as nested YAML flow mappings: {@code {a: {b: {c: word}}}}. */
    private static String yamlSetting(String key, String word) {
        String[] parts = key.split("\\.");
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            sb.append('{').append(p).append(": ");
        }
        sb.append(word);
        sb.append("}".repeat(parts.length));
        return sb.toString();
    }

    private static List<String> booleanKeys(JsonNode node, String prefix) {
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = prefix + e.getKey();
            if (e.getValue().isBoolean()) {
                keys.add(key);
            } else if (e.getValue().isObject()) {
                keys.addAll(booleanKeys(e.getValue(), key + "."));
            }
        }
        return keys;
    }
}
