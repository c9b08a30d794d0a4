package io.dbwire.core.decap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpAddressesTest {
    @Test
    void ipv4MappedIsADottedQuad() {
        assertThat(IpAddresses.format(0, IpAddresses.IPV4_MAPPED_PREFIX | 0x0A000001L)).isEqualTo("10.0.0.1");
        assertThat(IpAddresses.format(0, IpAddresses.IPV4_MAPPED_PREFIX | 0xFFFFFFFFL)).isEqualTo("255.255.255.255");
        assertThat(IpAddresses.format(0, IpAddresses.IPV4_MAPPED_PREFIX)).isEqualTo("0.0.0.0");
    }

    /** RFC 5952 section 4 and its examples. */
    @ParameterizedTest
    @CsvSource({
        // hi (hex),       lo (hex),          text
        "20010db800000000, 0000000000000001, 2001:db8::1",
        "0000000000000000, 0000000000000001, ::1",
        "0000000000000000, 0000000000000000, ::",
        "fe80000000000000, 0000000000010002, fe80::1:2",
        "0001000000000000, 0000000000000000, 1::",
        "20010db800000001, 0001000100010001, 2001:db8:0:1:1:1:1:1", // one zero group: not compressed
        "2001000000000001, 0000000000000001, 2001:0:0:1::1",        // the longest run wins
        "20010db800000000, 0001000000000001, 2001:db8::1:0:0:1",    // a tie: the first run
        "20010DB8ABCDEF01, 0000000000000000, 2001:db8:abcd:ef01::", // lower case
        "0000000000000000, 0000fffe0a000001, ::fffe:a00:1",         // not IPv4-mapped
    })
    void ipv6IsCanonical(String hi, String lo, String text) {
        assertThat(IpAddresses.format(Long.parseUnsignedLong(hi, 16), Long.parseUnsignedLong(lo, 16)))
                .isEqualTo(text);
    }

    @Test
    void decodedAddressesRoundTrip() {
        Decapsulator decap = DecapFixtures.decapsulator();
        DecodedPacket out = new DecodedPacket();
        byte[] frame = FrameBuilder.ipv6Tcp("2001:db8:0:0:1:0:0:1", 1, "fe80::1:2", 2, new byte[0]).build();
        assertThat(decap.decode(frame, 0, frame.length, LinkType.ETHERNET, 0, out)).isTrue();
        assertThat(IpAddresses.format(out.srcHi, out.srcLo)).isEqualTo("2001:db8::1:0:0:1");
        assertThat(IpAddresses.format(out.dstHi, out.dstLo)).isEqualTo("fe80::1:2");
        assertThat(out.isIpv4Mapped(true)).isFalse();
    }
}
