package io.dbwire.daemon.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DuplicateKeysTest {
    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void aKeyStatedTwiceIsRejectedByName() {
        assertThatThrownBy(() -> loader.parse("tcp:\n  max_flows: 5\n  max_flows: 6\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("tcp.max_flows: stated twice (line 3)");
        assertThatThrownBy(() -> loader.parse("tcp: {max_flows: 5}\nmetrics: {port: 1}\ntcp: {max_flows: 6}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("tcp: stated twice (line 3)");
    }
}
