package io.dbwire.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AddressTextTest {
    @Test
    void ipv4MappedIsADottedQuad() {
        assertThat(AddressText.format(0, Wire.v4(192, 168, 1, 254))).isEqualTo("192.168.1.254");
        assertThat(AddressText.format(0, Wire.v4(0, 0, 0, 0))).isEqualTo("0.0.0.0");
    }

    @Test
    void ipv6FollowsRfc5952() {
        assertThat(AddressText.format(0, 1)).isEqualTo("::1");
        assertThat(AddressText.format(0, 0)).isEqualTo("::");
        // 2001:db8::1 (section 4.2.1: longest zero run compressed)
        assertThat(AddressText.format(0x2001_0db8_0000_0000L, 1)).isEqualTo("2001:db8::1");
        // 2001:db8:0:0:1:0:0:1 -> the first of two equal runs is compressed (section 4.2.3)
        assertThat(AddressText.format(0x2001_0db8_0000_0000L, 0x0001_0000_0000_0001L)).isEqualTo("2001:db8::1:0:0:1");
        // a single zero group is not compressed (section 4.2.2)
        assertThat(AddressText.format(0x2001_0db8_0000_0001L, 0x0001_0001_0001_0001L))
                .isEqualTo("2001:db8:0:1:1:1:1:1");
        // the longer run wins even when it comes second
        assertThat(AddressText.format(0x2001_0000_0001_0000L, 0x0000_0000_0000_abcdL)).isEqualTo("2001:0:1::abcd");
        assertThat(AddressText.format(0xFE80_0000_0000_0000L, 0x0000_0000_0000_0000L)).isEqualTo("fe80::");
    }
}
