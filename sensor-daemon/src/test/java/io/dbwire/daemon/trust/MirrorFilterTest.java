package io.dbwire.daemon.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbwire.daemon.trust.MirrorFilter.Rejection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class MirrorFilterTest {
    private static final ByteBuf VNI_42 = Unpooled.wrappedBuffer(new byte[] {8, 0, 0, 0, 0, 0, 42, 0, 1, 2});

    @Test
    void ipv4AndIpv6CidrsMatchOnTheirPrefixOnly() throws Exception {
        MirrorFilter f = MirrorFilter.of(List.of("10.1.0.0/16", "192.0.2.7", "2001:db8:8000::/33"), null);
        assertThat(f.check(ip("10.1.255.3"), VNI_42)).isNull();
        assertThat(f.check(ip("10.2.0.1"), VNI_42)).isEqualTo(Rejection.SOURCE_NOT_ALLOWED);
        assertThat(f.check(ip("192.0.2.7"), VNI_42)).isNull();
        assertThat(f.check(ip("192.0.2.8"), VNI_42)).isEqualTo(Rejection.SOURCE_NOT_ALLOWED);
        assertThat(f.check(ip("2001:db8:8000::1"), VNI_42)).isNull();
        assertThat(f.check(ip("2001:db8:7fff::1"), VNI_42)).isEqualTo(Rejection.SOURCE_NOT_ALLOWED);
        assertThat(f.check(ip("::ffff:10.1.0.1"), VNI_42)).as("IPv4-mapped is the IPv4 sender").isNull();
        assertThat(f.vnisOpen()).isTrue();
        assertThat(f.sourcesOpen()).isFalse();
    }

    @Test
    void theVniIsReadFromTheTunnelHeaderWithoutConsumingIt() throws Exception {
        MirrorFilter f = MirrorFilter.of(null, List.of(42, 16_777_215));
        assertThat(f.check(ip("203.0.113.1"), VNI_42)).isNull();
        assertThat(VNI_42.readerIndex()).isZero();
        ByteBuf other = Unpooled.wrappedBuffer(new byte[] {8, 0, 0, 0, 0, 0, 43, 0});
        assertThat(f.check(ip("203.0.113.1"), other)).isEqualTo(Rejection.VNI_NOT_ALLOWED);
        ByteBuf max = Unpooled.wrappedBuffer(new byte[] {8, 0, 0, 0, -1, -1, -1, 0});
        assertThat(f.check(ip("203.0.113.1"), max)).isNull();
        assertThat(f.check(ip("203.0.113.1"), Unpooled.wrappedBuffer(new byte[7])))
                .isEqualTo(Rejection.NO_TUNNEL_HEADER);
    }

    @Test
    void badEntriesAreNamed() {
        assertThatThrownBy(() -> MirrorFilter.of(List.of("10.0.0.0/33"), null)).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> MirrorFilter.of(List.of("mirror.example.com"), null))
                .hasMessageContaining("mirror.example.com");
        assertThatThrownBy(() -> MirrorFilter.of(List.of("abc"), null)).hasMessageContaining("abc");
        assertThatThrownBy(() -> MirrorFilter.of(null, List.of(1 << 24))).hasMessageContaining("16777216");
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }
}
