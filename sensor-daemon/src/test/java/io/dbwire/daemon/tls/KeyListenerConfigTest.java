package io.dbwire.daemon.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbwire.daemon.config.ConfigException;
import io.dbwire.daemon.config.ConfigLoader;
import io.dbwire.daemon.config.DaemonConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tls.key_listener: off by default, a port needs a token file, the token must be long; never echoed. */
class KeyListenerConfigTest {
    private final ConfigLoader loader = new ConfigLoader();

    @TempDir
    Path dir;

    @Test
    void offByDefaultOnLoopback() throws Exception {
        assertThat(loader.parse("").tls().keyListener())
                .isEqualTo(new DaemonConfig.KeyListener("127.0.0.1", null, null, null));
    }

    @Test
    void aPortWithATokenFileIsAccepted() throws Exception {
        DaemonConfig.KeyListener k = loader.parse("tls: {key_listener: {address: 10.0.0.5, port: 9109, token_file: /etc/dbwire/token}}\n")
                .tls().keyListener();
        assertThat(k).isEqualTo(new DaemonConfig.KeyListener("10.0.0.5", 9109, "/etc/dbwire/token", null));
    }

    @Test
    void aPortWithoutATokenFileIsRejectedByName() {
        assertThatThrownBy(() -> loader.parse("tls: {key_listener: {port: 9109}}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("tls.key_listener.token_file: null (expected: ");
    }

    @Test
    void badValuesAreRejectedByName() {
        assertThatThrownBy(() -> loader.parse("tls: {key_listener: {port: 70000, token_file: t}}\n"))
                .hasMessageStartingWith("tls.key_listener.port: 70000");
        assertThatThrownBy(() -> loader.parse("tls: {key_listener: {address: sensor.local}}\n"))
                .hasMessageStartingWith("tls.key_listener.address: sensor.local");
        assertThatThrownBy(() -> loader.parse("tls: {key_listener: {token: abc}}\n"))
                .hasMessageStartingWith("tls.key_listener.token: unknown key");
        assertThatThrownBy(() -> loader.parse("tls: {key_listener: {token_file: ' '}}\n"))
                .hasMessageStartingWith("tls.key_listener.token_file: \" \"");
    }

    @Test
    void aShortTokenIsRejectedNamingTheKeyWithoutTheToken() throws Exception {
        String shortToken = "only-31-characters-long-0123456";
        Path f = Files.writeString(dir.resolve("token"), "  " + shortToken + " \n");
        assertThatThrownBy(() -> KeyListenerToken.read(f))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("tls.key_listener.token_file: " + f + " holds 31 characters")
                .hasMessageNotContaining(shortToken);
    }

    @Test
    void aMissingOrHugeTokenFileIsRejectedNamingTheKey() throws Exception {
        assertThatThrownBy(() -> KeyListenerToken.read(dir.resolve("absent")))
                .hasMessageStartingWith("tls.key_listener.token_file: ");
        Path big = Files.writeString(dir.resolve("big"), "a".repeat(5_000));
        assertThatThrownBy(() -> KeyListenerToken.read(big))
                .hasMessageStartingWith("tls.key_listener.token_file: " + big)
                .hasMessageNotContaining("aaaa");
    }

    @Test
    void theTokenIsTrimmedAndNeverPrinted() throws Exception {
        String token = "x".repeat(32);
        KeyListenerToken t = KeyListenerToken.read(Files.writeString(dir.resolve("token"), "\t" + token + "\r\n"));
        assertThat(t.matches(token.getBytes())).isTrue();
        assertThat(t.matches((token + " ").getBytes())).isFalse();
        assertThat(t.matches(null)).isFalse();
        assertThat(t.toString()).doesNotContain("xxxx");
    }
}
