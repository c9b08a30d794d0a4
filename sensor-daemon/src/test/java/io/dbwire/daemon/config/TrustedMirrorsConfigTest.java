package io.dbwire.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedMirrorsConfigTest {
    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void openByDefaultAndListsWhenSet() throws Exception {
        assertThat(DaemonConfig.defaults().listen().allowedSources()).isNull();
        assertThat(DaemonConfig.defaults().listen().allowedVnis()).isNull();
        DaemonConfig c = loader.parse("listen: {allowed_sources: [10.0.0.0/8, '2001:db8::/32'], allowed_vnis: [42]}");
        assertThat(c.listen().allowedSources()).containsExactly("10.0.0.0/8", "2001:db8::/32");
        assertThat(c.listen().allowedVnis()).containsExactly(42);
        assertThat(c.listen().vxlanPort()).isEqualTo(4789);
        assertThat(loader.parse("listen: {allowed_sources: []}").listen().allowedSources()).isEqualTo(List.of());
    }

    @Test
    void badEntriesAreRejectedByKey() {
        assertThatThrownBy(() -> loader.parse("listen: {allowed_sources: [10.0.0.0/40]}"))
                .hasMessageStartingWith("listen.allowed_sources: 10.0.0.0/40");
        assertThatThrownBy(() -> loader.parse("listen: {allowed_sources: [mirror.example.com]}"))
                .hasMessageStartingWith("listen.allowed_sources: mirror.example.com");
        assertThatThrownBy(() -> loader.parse("listen: {allowed_vnis: [16777216]}"))
                .hasMessageStartingWith("listen.allowed_vnis: 16777216");
    }
}
