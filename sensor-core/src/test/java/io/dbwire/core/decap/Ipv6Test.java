package io.dbwire.core.decap;

import static io.dbwire.core.decap.DecapFixtures.payload;
import static io.dbwire.core.decap.FrameBuilder.concat;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Ipv6Test {
    /** TCP 5432 -> 50000, seq 7, ack 9, PSH|ACK, payload "hi". */
    private static final String[] TCP_HI = {
        "15 38 c3 50",             // ports 5432 -> 50000
        "00 00 00 07",             // sequence number 7
        "00 00 00 09",             // acknowledgement number 9
        "50 18 ff ff 00 00 00 00", // data offset 5, PSH|ACK, window, checksum, urgent pointer
        "68 69",                   // payload "hi"
    };

    private final Decapsulator decap = DecapFixtures.decapsulator();
    private final DecodedPacket out = new DecodedPacket();

    private DecapOutcome decode(byte[] frame) {
        return DecapFixtures.decodeOne(decap, frame, LinkType.ETHERNET, out);
    }

    /** Ethernet + IPv6 2001:db8::2 -> 2001:db8::1 with {@code next} as first next header, then {@code rest}. */
    private static byte[] ipv6(int next, byte[] rest) {
        return FrameBuilder.ethernet(FrameBuilder.ETHERTYPE_IPV6, FrameBuilder.ipv6("2001:db8::2", "2001:db8::1", next,
                rest));
    }

    @Test
    void extensionHeadersAreWalkedToTcp() {
        byte[] frame = DecapFixtures.join(new String[] {
            "02 00 00 00 00 02 02 00 00 00 00 01", // MACs
            "86 dd",                   // EtherType IPv6
            "60 00 00 00",             // version 6, traffic class 0, flow label 0
            "00 36",                   // payload length 54 = 8 + 8 + 16 + 20 + 2
            "00",                      // next header: hop-by-hop options
            "40",                      // hop limit 64
            "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02", // source 2001:db8::2
            "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01", // destination 2001:db8::1
            "2b 00",                   // hop-by-hop: next routing (43), length 0 -> 8 bytes
            "01 04 00 00 00 00",       //   PadN option, 4 bytes of padding
            "3c 00",                   // routing: next destination options (60), length 0 -> 8 bytes
            "00 00 00 00 00 00",       //   routing type 0, segments left 0, reserved
            "06 01",                   // destination options: next TCP, length 1 -> 16 bytes
            "01 0c 00 00 00 00 00 00 00 00 00 00 00 00", // PadN option, 12 bytes of padding
        }, TCP_HI);
        assertThat(decode(frame)).isEqualTo(DecapOutcome.TCP);
        assertThat(out.ipVersion).isEqualTo(6);
        assertThat(IpAddresses.format(out.srcHi, out.srcLo)).isEqualTo("2001:db8::2");
        assertThat(IpAddresses.format(out.dstHi, out.dstLo)).isEqualTo("2001:db8::1");
        assertThat(out.srcPort).isEqualTo(5432);
        assertThat(out.dstPort).isEqualTo(50000);
        assertThat(out.seq).isEqualTo(7);
        assertThat(out.ack).isEqualTo(9);
        assertThat(payload(out)).isEqualTo("hi");
    }

    @Test
    void authenticationHeaderIsSkipped() {
        byte[] ah = Hex.bytes(
                "06 04",       // next TCP, payload length 4 -> (4 + 2) * 4 = 24 bytes
                "00 00",       // reserved
                "00 00 10 00", // SPI
                "00 00 00 01", // sequence number
                "00 00 00 00 00 00 00 00 00 00 00 00"); // ICV, 12 bytes
        assertThat(decode(ipv6(51, concat(ah, Hex.bytes(TCP_HI))))).isEqualTo(DecapOutcome.TCP);
        assertThat(payload(out)).isEqualTo("hi");
    }

    @Test
    void atomicFragmentIsAWholePacket() {
        byte[] fragment = Hex.bytes(
                "06 00",       // next TCP, reserved
                "00 00",       // fragment offset 0, M clear (RFC 6946 atomic fragment)
                "00 00 00 2a"); // identification
        assertThat(decode(ipv6(44, concat(fragment, Hex.bytes(TCP_HI))))).isEqualTo(DecapOutcome.TCP);
    }

    @Test
    void firstFragmentOfRaggedLengthIsInvalid() {
        byte[] fragment = Hex.bytes("06 00", "00 01", "00 00 00 2a"); // offset 0, M set; 22 bytes follow
        assertThat(decode(ipv6(44, concat(fragment, Hex.bytes(TCP_HI))))).isEqualTo(DecapOutcome.FRAGMENT_INVALID);
    }

    @Test
    void laterFragmentIsHeld() {
        byte[] fragment = Hex.bytes("06 00", "00 08", "00 00 00 2a"); // offset 1 (8 bytes), M clear: the last
        assertThat(decode(ipv6(44, concat(fragment, Hex.bytes(TCP_HI))))).isEqualTo(DecapOutcome.IP_FRAGMENT);
    }

    @Test
    void extensionHeaderCountIsBounded() {
        byte[] chain = new byte[0];
        for (int i = 0; i < Ipv6Header.MAX_EXTENSION_HEADERS; i++) {
            chain = concat(chain, Hex.bytes("3c 00 01 04 00 00 00 00")); // destination options -> another one
        }
        assertThat(decode(ipv6(60, concat(chain, Hex.bytes(TCP_HI)))))
                .isEqualTo(DecapOutcome.IPV6_TOO_MANY_EXTENSIONS);
    }

    @Test
    void extensionLongerThanThePayloadLength() {
        byte[] hopByHop = Hex.bytes("06 ff 01 04 00 00 00 00"); // length 255 -> 2048 bytes, far past the packet
        assertThat(decode(ipv6(0, concat(hopByHop, Hex.bytes(TCP_HI)))))
                .isEqualTo(DecapOutcome.IPV6_BAD_EXTENSION_LENGTH);
    }

    @Test
    void otherUpperLayers() {
        assertThat(decode(ipv6(58, Hex.bytes("80 00 00 00 00 01 00 01")))).isEqualTo(DecapOutcome.ICMP); // echo
        assertThat(decode(ipv6(50, Hex.bytes("00 00 10 00 00 00 00 01 ee ee")))).isEqualTo(DecapOutcome.NOT_TCP); // ESP
    }

    @Test
    void jumbogramPayloadLengthZero() {
        byte[] frame = ipv6(0, Hex.bytes(TCP_HI));
        frame[14 + 4] = 0;
        frame[14 + 5] = 0;
        assertThat(decode(frame)).isEqualTo(DecapOutcome.IPV6_JUMBOGRAM);
    }

    @Test
    void versionNibbleMustMatchTheEtherType() {
        byte[] frame = ipv6(6, Hex.bytes(TCP_HI));
        frame[14] = 0x45;
        assertThat(decode(frame)).isEqualTo(DecapOutcome.BAD_IP_VERSION);
    }

    @Test
    void fixedHeaderCutShort() {
        byte[] frame = ipv6(6, Hex.bytes(TCP_HI));
        assertThat(DecapFixtures.decodeOne(decap, frame, 0, 14 + 39, LinkType.ETHERNET, out))
                .isEqualTo(DecapOutcome.IPV6_TRUNCATED);
    }
}
