package io.dbwire.core.decap;

import static io.dbwire.core.decap.DecapFixtures.ETHERNET_IPV4;
import static io.dbwire.core.decap.DecapFixtures.IPV4_TCP_HELLO;
import static io.dbwire.core.decap.DecapFixtures.join;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every non-TCP shape gets its own counted reason; decode() returns false and never throws. */
class DropReasonsTest {
    /** Offset of the IPv4 header in {@link #hello()}. */
    private static final int IP = 14;
    private static final int TCP = IP + 20;

    private final Decapsulator decap = DecapFixtures.decapsulator();
    private final DecodedPacket out = new DecodedPacket();

    private static byte[] hello() {
        return join(ETHERNET_IPV4, IPV4_TCP_HELLO);
    }

    private DecapOutcome decode(byte[] frame) {
        return DecapFixtures.decodeOne(decap, frame, LinkType.ETHERNET, out);
    }

    @Test
    void arp() {
        byte[] frame = Hex.bytes(
                "ff ff ff ff ff ff 02 00 00 00 00 01", // broadcast <- host
                "08 06",                   // EtherType ARP
                "00 01 08 00 06 04 00 01", // Ethernet/IPv4, request
                "02 00 00 00 00 01 0a 00 00 01 00 00 00 00 00 00 0a 00 00 02"); // who has 10.0.0.2
        assertThat(decode(frame)).isEqualTo(DecapOutcome.ARP);
    }

    @Test
    void unknownEtherTypeAnd8023() {
        byte[] lldp = Hex.bytes("01 80 c2 00 00 0e 02 00 00 00 00 01", "88 cc", "02 07 04");
        assertThat(decode(lldp)).isEqualTo(DecapOutcome.UNKNOWN_ETHERTYPE);
        byte[] stp = Hex.bytes("01 80 c2 00 00 00 02 00 00 00 00 01", "00 26", "42 42 03"); // 802.3 length, LLC
        assertThat(decode(stp)).isEqualTo(DecapOutcome.NOT_ETHERNET_II);
    }

    @Test
    void icmpAndOtherProtocols() {
        byte[] icmp = FrameBuilder.ethernet(0x0800, FrameBuilder.ipv4("10.0.0.1", "10.0.0.2", 1,
                Hex.bytes("08 00 00 00 00 01 00 01"))); // echo request
        assertThat(decode(icmp)).isEqualTo(DecapOutcome.ICMP);
        byte[] gre = FrameBuilder.ethernet(0x0800, FrameBuilder.ipv4("10.0.0.1", "10.0.0.2", 47, new byte[4]));
        assertThat(decode(gre)).isEqualTo(DecapOutcome.NOT_TCP);
        byte[] dns = FrameBuilder.ethernet(0x0800, FrameBuilder.ipv4("10.0.0.1", "10.0.0.2", 17,
                FrameBuilder.udp(5353, 53, new byte[12])));
        assertThat(decode(dns)).isEqualTo(DecapOutcome.UDP_OTHER);
    }

    @Test
    void ipv4HeaderLengthBelowFive() {
        byte[] frame = hello();
        frame[IP] = 0x44; // IHL 4 = 16 bytes
        assertThat(decode(frame)).isEqualTo(DecapOutcome.IPV4_BAD_HEADER_LENGTH);
    }

    @Test
    void ipv4TotalLengthBelowHeaderLength() {
        byte[] frame = hello();
        frame[IP + 3] = 19; // total length 19 < 20
        assertThat(decode(frame)).isEqualTo(DecapOutcome.IPV4_BAD_TOTAL_LENGTH);
    }

    @Test
    void ipv4VersionMismatch() {
        byte[] frame = hello();
        frame[IP] = 0x65;
        assertThat(decode(frame)).isEqualTo(DecapOutcome.BAD_IP_VERSION);
    }

    @Test
    void ipv4OptionsAreSkipped() {
        byte[] ip = FrameBuilder.ipv4("10.0.0.1", "10.0.0.2", 6,
                FrameBuilder.tcp(1, 2, 3, 4, DecodedPacket.ACK, new byte[0], "abc".getBytes()));
        byte[] withOptions = FrameBuilder.concat(Arrays.copyOf(ip, 20), Hex.bytes("94 04 00 00"), // Router Alert
                Arrays.copyOfRange(ip, 20, ip.length));
        withOptions[0] = 0x46; // IHL 6
        withOptions[3] += 4;   // total length + 4
        assertThat(decode(FrameBuilder.ethernet(0x0800, withOptions))).isEqualTo(DecapOutcome.TCP);
        assertThat(DecapFixtures.payload(out)).isEqualTo("abc");
    }

    @Test
    void firstFragmentWhoseLengthIsNotAMultipleOfEightIsInvalid() {
        byte[] frame = hello();
        frame[IP + 6] = 0x20; // MF set, offset 0: but 25 data bytes, and only the last fragment may be ragged
        assertThat(decode(frame)).isEqualTo(DecapOutcome.FRAGMENT_INVALID);
    }

    @Test
    void laterFragmentIsHeldForTheRest() {
        byte[] frame = hello();
        frame[IP + 6] = 0x00;
        frame[IP + 7] = 0x03; // offset 3 * 8 = 24 bytes, MF clear: the last fragment
        assertThat(decode(frame)).isEqualTo(DecapOutcome.IP_FRAGMENT);
    }

    @Test
    void tcpDataOffsetBelowFive() {
        byte[] frame = hello();
        frame[TCP + 12] = 0x40; // data offset 4
        assertThat(decode(frame)).isEqualTo(DecapOutcome.TCP_BAD_DATA_OFFSET);
    }

    @Test
    void tcpDataOffsetBeyondTheIpPacket() {
        byte[] frame = hello();
        frame[TCP + 12] = (byte) 0xF0; // 60 bytes of header in a 25-byte IP payload
        assertThat(decode(frame)).isEqualTo(DecapOutcome.TCP_BAD_DATA_OFFSET);
    }

    @Test
    void ipPayloadTooShortForTcp() {
        byte[] frame = hello();
        frame[IP + 3] = 20 + 12; // total length leaves 12 bytes for TCP
        assertThat(decode(frame)).isEqualTo(DecapOutcome.TCP_BAD_DATA_OFFSET);
    }

    @Test
    void udpLengthBeyondTheIpPayload() {
        byte[] frame = FrameBuilder.ethernet(0x0800, FrameBuilder.ipv4("10.0.0.1", "10.0.0.2", 17,
                FrameBuilder.udp(1, 4789, new byte[16])));
        frame[IP + 20 + 5] = (byte) 200;
        assertThat(decode(frame)).isEqualTo(DecapOutcome.UDP_BAD_LENGTH);
        frame[IP + 20 + 5] = 7;
        assertThat(decode(frame)).isEqualTo(DecapOutcome.UDP_BAD_LENGTH);
    }

    @Test
    void snaplenCutPayloadIsDeliveredWithTheMissingCount() {
        byte[] frame = hello();
        int cut = 14 + 40 + 2; // "he" of "hello"
        assertThat(DecapFixtures.decodeOne(decap, frame, 0, cut, LinkType.ETHERNET, out))
                .isEqualTo(DecapOutcome.TRUNCATED_PAYLOAD);
        assertThat(DecapFixtures.payload(out)).isEqualTo("he");
        assertThat(out.payloadMissing).isEqualTo(3);
        assertThat(decap.missingPayloadBytes()).isEqualTo(3);
        assertThat(out.srcPort).isEqualTo(50000);
    }

    @Test
    void tcpOptionsCutShortAreAHeaderTruncation() {
        byte[] ip = FrameBuilder.ipv4("10.0.0.1", "10.0.0.2", 6, FrameBuilder.tcp(1, 2, 3, 4, DecodedPacket.SYN,
                Hex.bytes("02 04 05 b4 01 03 03 07"), new byte[0])); // MSS 1460, NOP, window scale 7
        byte[] frame = FrameBuilder.ethernet(0x0800, ip);
        assertThat(DecapFixtures.decodeOne(decap, frame, 0, frame.length - 1, LinkType.ETHERNET, out))
                .isEqualTo(DecapOutcome.TCP_TRUNCATED);
        assertThat(DecapFixtures.decodeOne(decap, frame, LinkType.ETHERNET, out)).isEqualTo(DecapOutcome.TCP);
        assertThat(out.payloadOffset).isEqualTo(frame.length);
        assertThat(out.hasFlag(DecodedPacket.SYN)).isTrue();
    }

    @Test
    void callerMistakesAreCountedNotThrown() {
        byte[] frame = hello();
        assertThat(DecapFixtures.decodeOne(decap, null, 0, 10, LinkType.ETHERNET, out))
                .isEqualTo(DecapOutcome.INVALID_BUFFER);
        assertThat(DecapFixtures.decodeOne(decap, frame, 10, frame.length, LinkType.ETHERNET, out))
                .isEqualTo(DecapOutcome.INVALID_BUFFER);
        assertThat(DecapFixtures.decodeOne(decap, frame, -1, 5, LinkType.ETHERNET, out))
                .isEqualTo(DecapOutcome.INVALID_BUFFER);
        assertThat(DecapFixtures.decodeOne(decap, frame, 0, frame.length, LinkType.ETHERNET, null))
                .isEqualTo(DecapOutcome.INVALID_BUFFER);
        assertThat(DecapFixtures.decodeOne(decap, frame, 0, frame.length, null, out))
                .isEqualTo(DecapOutcome.UNSUPPORTED_LINK_TYPE);
        assertThat(DecapFixtures.decodeOne(decap, frame, 0, frame.length, LinkType.UNKNOWN, out))
                .isEqualTo(DecapOutcome.UNSUPPORTED_LINK_TYPE);
        assertThat(DecapFixtures.decodeOne(decap, frame, 0, 0, LinkType.RAW, out))
                .isEqualTo(DecapOutcome.LINK_TRUNCATED);
    }
}
