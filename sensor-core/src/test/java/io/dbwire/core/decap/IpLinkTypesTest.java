package io.dbwire.core.decap;

import static io.dbwire.core.decap.DecapFixtures.IPV4_TCP_HELLO;
import static io.dbwire.core.decap.DecapFixtures.TS;
import static io.dbwire.core.decap.DecapFixtures.assertHello;
import static io.dbwire.core.decap.DecapFixtures.join;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The link headers that carry IP without Ethernet, each in the layout libpcap's tools write. */
class IpLinkTypesTest {
    private final Decapsulator decap = DecapFixtures.decapsulator();
    private final DecodedPacket out = new DecodedPacket();

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "NULL,       02 00 00 00",              // AF_INET, little-endian host (macOS, FreeBSD on x86/arm)
        "NULL,       00 00 00 02",              // AF_INET, big-endian host
        "LOOP,       00 00 00 02",              // OpenBSD loopback: network byte order
        "RAW_12,     ''",                       // DLT_RAW as Linux numbers it
        "RAW_12,     00 00 00 02",              // 12 written on OpenBSD is DLT_LOOP
        "RAW_14,     ''",                       // DLT_RAW as OpenBSD numbers it
        "RAW,        ''",
        "IPV4,       ''",
        "ENC,        02 00 00 00 00 00 10 01 00 00 00 00", // af AF_INET, SPI 0x1001, flags
        "PPP,        ff 03 00 21",              // HDLC address/control, protocol IPv4
        "PPP,        00 21",                    // no address/control
        "PPP,        21",                       // protocol field compressed to one byte
        "PPP_SERIAL, ff 03 00 21",
        "C_HDLC,     0f 00 08 00",              // unicast, control, EtherType IPv4
        "PFLOG,      2d 02 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
        "NFLOG,      02 00 00 00 08 00 01 00 08 00 00 00 31 00 09 00", // AF_INET; hwprotocol TLV; payload TLV of 4 + 45 bytes (LE)
        "NFLOG,      02 00 00 00 00 08 00 01 08 00 00 00 00 31 00 09", // the same from a big-endian host
        "PKTAP,      0c 00 00 00 0c 00 00 00 00 00 00 00",             // length 12, next DLT_RAW 12 (trimmed header)
    })
    void ipv4InsideEachLinkHeader(LinkType type, String header) {
        byte[] frame = join(new String[] {header}, IPV4_TCP_HELLO);
        assertThat(decap.decode(frame, 0, frame.length, type, TS, out)).isTrue();
        assertHello(out);
        assertThat(out.payloadOffset).isEqualTo(Hex.bytes(header).length + 40);
    }

    @Test
    void ipv6BehindBsdAddressFamilies() {
        byte[] packet = FrameBuilder.ipv6Tcp("2001:db8::1", 50000, "2001:db8::2", 5432, new byte[] {'h', 'i'})
                .ipPacket();
        // Linux, OpenBSD/NetBSD, FreeBSD, macOS number AF_INET6 differently.
        for (int family : new int[] {10, 24, 28, 30}) {
            byte[] frame = prefixed(new byte[] {(byte) family, 0, 0, 0}, packet);
            assertThat(decap.decode(frame, 0, frame.length, LinkType.NULL, TS, out)).as("AF %d", family).isTrue();
            assertThat(out.ipVersion).isEqualTo(6);
        }
        assertThat(decap.decode(packet, 0, packet.length, LinkType.IPV6, TS, out)).isTrue();
        assertThat(out.dstPort).isEqualTo(5432);
    }

    @Test
    void nonIpAndWrongVersionAreCountedDrops() {
        byte[] appletalk = join(new String[] {"10 00 00 00"}, IPV4_TCP_HELLO); // AF_APPLETALK 16
        assertThat(decap.decode(appletalk, 0, appletalk.length, LinkType.NULL, TS, out)).isFalse();
        byte[] ipxOverPpp = join(new String[] {"ff 03 00 2b"}, IPV4_TCP_HELLO);
        assertThat(decap.decode(ipxOverPpp, 0, ipxOverPpp.length, LinkType.PPP, TS, out)).isFalse();
        byte[] v4InIpv6Type = join(IPV4_TCP_HELLO);
        assertThat(decap.decode(v4InIpv6Type, 0, v4InIpv6Type.length, LinkType.IPV6, TS, out)).isFalse();
        assertThat(decap.counters().get(DecapOutcome.NOT_IP)).isEqualTo(2);
        assertThat(decap.counters().get(DecapOutcome.BAD_IP_VERSION)).isEqualTo(1);
    }

    @Test
    void truncatedHeadersAndUnknownTypes() {
        byte[] shortNull = Hex.bytes("02 00");
        assertThat(decap.decode(shortNull, 0, shortNull.length, LinkType.NULL, TS, out)).isFalse();
        byte[] badPflog = Hex.bytes("ff 02 00 00"); // claims 256 header bytes
        assertThat(decap.decode(badPflog, 0, badPflog.length, LinkType.PFLOG, TS, out)).isFalse();
        byte[] nflogWithoutPayload = Hex.bytes("02 00 00 00 08 00 01 00 08 00 00 00");
        assertThat(decap.decode(nflogWithoutPayload, 0, nflogWithoutPayload.length, LinkType.NFLOG, TS, out))
                .isFalse();
        assertThat(decap.counters().get(DecapOutcome.LINK_TRUNCATED)).isEqualTo(3);
        byte[] pktapOfPktap = join(new String[] {"0c 00 00 00 02 01 00 00 00 00 00 00"}, IPV4_TCP_HELLO); // 258
        assertThat(decap.decode(pktapOfPktap, 0, pktapOfPktap.length, LinkType.PKTAP, TS, out)).isFalse();
        byte[] frame = join(IPV4_TCP_HELLO);
        assertThat(decap.decode(frame, 0, frame.length, LinkType.fromPcap(147), TS, out)).isFalse();
        assertThat(decap.counters().get(DecapOutcome.UNSUPPORTED_LINK_TYPE)).isEqualTo(2);
    }

    @Test
    void pcapNumbersIncludingTheHistoricalRawValues() {
        assertThat(LinkType.fromPcap(0)).isEqualTo(LinkType.NULL);
        assertThat(LinkType.fromPcap(12)).isEqualTo(LinkType.RAW_12);
        assertThat(LinkType.fromPcap(14)).isEqualTo(LinkType.RAW_14);
        assertThat(LinkType.fromPcap(108)).isEqualTo(LinkType.LOOP);
        assertThat(LinkType.fromPcap(228)).isEqualTo(LinkType.IPV4);
        assertThat(LinkType.fromPcap(229)).isEqualTo(LinkType.IPV6);
        assertThat(LinkType.fromPcap(147)).isEqualTo(LinkType.UNKNOWN);
        assertThat(LinkType.fromPcap(-2)).isEqualTo(LinkType.UNKNOWN);
        assertThat(LinkType.fromPcap(100_000)).isEqualTo(LinkType.UNKNOWN);
        assertThat(LinkType.UNKNOWN.supported()).isFalse();
    }

    private static byte[] prefixed(byte[] header, byte[] packet) {
        byte[] frame = new byte[header.length + packet.length];
        System.arraycopy(header, 0, frame, 0, header.length);
        System.arraycopy(packet, 0, frame, header.length, packet.length);
        return frame;
    }
}
