package io.dbwire.core.decap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The address cases the TCP layer relies on for ConnectionInfo (IPv4-mapped and RFC 5952 IPv6). */
class IpAddressesFromTcpTest {
    @Test
    void ipv4MappedIsADottedQuad() {
        assertThat(IpAddresses.format(0, 0xFFFF_C0A8_01FEL)).isEqualTo("192.168.1.254");
        assertThat(IpAddresses.format(0, 0xFFFF_0000_0000L)).isEqualTo("0.0.0.0");
    }

    @Test
    void ipv6FollowsRfc5952() {
        assertThat(IpAddresses.format(0, 1)).isEqualTo("::1");
        assertThat(IpAddresses.format(0, 0)).isEqualTo("::");
        // 2001:db8::1 (section 4.2.1: longest zero run compressed)
        assertThat(IpAddresses.format(0x2001_0db8_0000_0000L, 1)).isEqualTo("2001:db8::1");
        // 2001:db8:0:0:1:0:0:1 -> the first of two equal runs is compressed (section 4.2.3)
        assertThat(IpAddresses.format(0x2001_0db8_0000_0000L, 0x0001_0000_0000_0001L)).isEqualTo("2001:db8::1:0:0:1");
        // a single zero group is not compressed (section 4.2.2)
        assertThat(IpAddresses.format(0x2001_0db8_0000_0001L, 0x0001_0001_0001_0001L))
                .isEqualTo("2001:db8:0:1:1:1:1:1");
        // the longer run wins even when it comes second
        assertThat(IpAddresses.format(0x2001_0000_0001_0000L, 0x0000_0000_0000_abcdL)).isEqualTo("2001:0:1::abcd");
        assertThat(IpAddresses.format(0xFE80_0000_0000_0000L, 0x0000_0000_0000_0000L)).isEqualTo("fe80::");
    }
}
