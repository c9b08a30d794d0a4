package io.dbwire.daemon.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbwire.daemon.config.ConfigException;
import io.dbwire.daemon.config.ConfigLoader;
import org.junit.jupiter.api.Test;

class ConsoleConfigTest {
    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void theShippedDefaultIsALoopbackConsoleWithoutToken() throws Exception {
        var c = loader.parse("").console();
        assertThat(c.address()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(9180);
        assertThat(c.tokenFile()).isNull();
    }

    @Test
    void aNonLoopbackConsoleWithoutATokenIsRefused() {
        assertThatThrownBy(() -> loader.parse("console: {address: 0.0.0.0, port: 9180}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("console.token_file")
                .hasMessageContaining("not a loopback address");
    }

    @Test
    void aNonLoopbackConsoleWithATokenFileOrOffIsAccepted() throws Exception {
        assertThat(loader.parse("console: {address: 0.0.0.0, token_file: /etc/dbwire/console.token}\n").console()
                .tokenFile()).isEqualTo("/etc/dbwire/console.token");
        assertThat(loader.parse("console: {address: 0.0.0.0, port: null}\n").console().port()).isNull();
        assertThat(loader.parse("console: {address: '::1'}\n").console().address()).isEqualTo("::1");
    }
}
