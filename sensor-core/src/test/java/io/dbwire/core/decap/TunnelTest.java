package io.dbwire.core.decap;

import static io.dbwire.core.decap.DecapFixtures.ETHERNET_IPV4;
import static io.dbwire.core.decap.DecapFixtures.IPV4_TCP_HELLO;
import static io.dbwire.core.decap.DecapFixtures.assertHello;
import static io.dbwire.core.decap.DecapFixtures.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.DecapConfig;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TunnelTest {
    /** Outer Ethernet + IPv4 172.31.0.1 -> 172.31.0.2 + UDP 54321 -> 4789 + VXLAN VNI 0x123456. */
    static final String[] VXLAN_OUTER = {
        "02 00 00 00 00 0b",       // destination MAC
        "02 00 00 00 00 0a",       // source MAC
        "08 00",                   // EtherType IPv4
        "45 00 00 5f",             // IPv4, IHL 5, total length 95 = 20 + 8 + 8 + 59
        "00 00 40 00",             // identification, DF
        "40 11 00 00",             // TTL 64, protocol UDP, checksum
        "ac 1f 00 01",             // source 172.31.0.1 (the mirrored ENI's side)
        "ac 1f 00 02",             // destination 172.31.0.2 (the sensor)
        "d4 31",                   // UDP source port 54321 (flow entropy)
        "12 b5",                   // destination port 4789: VXLAN
        "00 4b",                   // UDP length 75 = 8 + 8 + 59
        "00 00",                   // checksum (zero: allowed over IPv4)
        "08",                      // VXLAN flags: I (VNI valid)
        "00 00 00",                // reserved
        "12 34 56",                // VNI 0x123456
        "00",                      // reserved
    };

    private final Decapsulator decap = DecapFixtures.decapsulator();
    private final DecodedPacket out = new DecodedPacket();

    private DecapOutcome decode(byte[] frame, LinkType linkType) {
        return DecapFixtures.decodeOne(decap, frame, linkType, out);
    }

    private static FrameBuilder inner() {
        return FrameBuilder.ipv4Tcp("10.0.0.1", 50000, "10.0.0.2", 5432, 0xF0000001L, 2000,
                FrameBuilder.DEFAULT_FLAGS, "hello".getBytes());
    }

    @Test
    void vxlanWrappedTcp() {
        byte[] frame = join(VXLAN_OUTER, ETHERNET_IPV4, IPV4_TCP_HELLO);
        assertThat(decode(frame, LinkType.ETHERNET)).isEqualTo(DecapOutcome.TCP);
        assertHello(out); // the inner addresses, not 172.31.0.x
        assertThat(out.vni).isEqualTo(0x123456);
        assertThat(out.payloadOffset).isEqualTo(50 + 14 + 40);
    }

    @Test
    void builderMatchesTheHandWrittenFixture() {
        byte[] built = inner().wrapVxlan(0x123456).build();
        assertThat(decode(built, LinkType.ETHERNET)).isEqualTo(DecapOutcome.TCP);
        assertHello(out);
        assertThat(out.vni).isEqualTo(0x123456);
    }

    @Test
    void vxlanPayloadAsTheUdpListenerReceivesIt() {
        byte[] frame = join(Arrays.copyOfRange(VXLAN_OUTER, VXLAN_OUTER.length - 4, VXLAN_OUTER.length),
                ETHERNET_IPV4, IPV4_TCP_HELLO);
        assertThat(frame[0]).isEqualTo((byte) 0x08); // starts at the VXLAN flags
        assertThat(decode(frame, LinkType.VXLAN_PAYLOAD)).isEqualTo(DecapOutcome.TCP);
        assertHello(out);
        assertThat(out.vni).isEqualTo(0x123456);
    }

    @Test
    void vxlanWithoutTheIFlag() {
        byte[] frame = inner().wrapVxlan(5).build();
        frame[42] = 0x00;
        assertThat(decode(frame, LinkType.ETHERNET)).isEqualTo(DecapOutcome.VXLAN_BAD_FLAGS);
    }

    @Test
    void vxlanReservedBitsAreIgnored() {
        byte[] frame = inner().wrapVxlan(5).build();
        frame[42] = (byte) 0xFF; // RFC 7348: reserved bits ignored on receipt
        assertThat(decode(frame, LinkType.ETHERNET)).isEqualTo(DecapOutcome.TCP);
    }

    @Test
    void geneveWithOptions() {
        byte[] frame = join(new String[] {
            "02 00 00 00 00 0b 02 00 00 00 00 0a 08 00", // outer Ethernet, IPv4
            "45 00 00 67",             // IPv4, total length 103 = 20 + 8 + 16 + 59
            "00 00 40 00 40 11 00 00", // id, DF, TTL 64, UDP, checksum
            "ac 1f 00 01 ac 1f 00 02", // 172.31.0.1 -> 172.31.0.2
            "d4 31 17 c1",             // UDP 54321 -> 6081: GENEVE
            "00 53 00 00",             // UDP length 83, checksum
            "02",                      // GENEVE version 0, option length 2 (8 bytes)
            "00",                      // O = 0, C = 0, reserved
            "65 58",                   // protocol type: transparent Ethernet bridging
            "00 00 2a",                // VNI 42
            "00",                      // reserved
            "01 08",                   // option class 0x0108
            "01",                      // option type 1
            "01",                      // reserved bits, option data length 1 (4 bytes)
            "de ad be ef",             // option data (e.g. a load balancer's flow cookie)
        }, ETHERNET_IPV4, IPV4_TCP_HELLO);
        assertThat(decode(frame, LinkType.ETHERNET)).isEqualTo(DecapOutcome.TCP);
        assertHello(out);
        assertThat(out.vni).isEqualTo(42);
    }

    @Test
    void genevePayloadCarryingBareIp() {
        byte[] ip = inner().ipPacket();
        byte[] frame = FrameBuilder.geneve(77, FrameBuilder.ETHERTYPE_IPV4, new byte[4], ip);
        assertThat(decode(frame, LinkType.GENEVE_PAYLOAD)).isEqualTo(DecapOutcome.TCP);
        assertHello(out);
        assertThat(out.vni).isEqualTo(77);
    }

    @Test
    void geneveCarryingIpv6() {
        byte[] ip = FrameBuilder.ipv6Tcp("fe80::1", 1, "fe80::2", 2, new byte[1]).ipPacket();
        byte[] frame = FrameBuilder.geneve(1, FrameBuilder.ETHERTYPE_IPV6, new byte[0], ip);
        assertThat(decode(frame, LinkType.GENEVE_PAYLOAD)).isEqualTo(DecapOutcome.TCP);
        assertThat(out.ipVersion).isEqualTo(6);
    }

    @Test
    void geneveDropReasons() {
        byte[] good = inner().wrapGeneve(3, new byte[8]).tunnelPayload();

        byte[] version1 = good.clone();
        version1[0] |= 0x40;
        assertThat(decode(version1, LinkType.GENEVE_PAYLOAD)).isEqualTo(DecapOutcome.GENEVE_BAD_VERSION);

        byte[] control = good.clone();
        control[1] = (byte) 0x80;
        assertThat(decode(control, LinkType.GENEVE_PAYLOAD)).isEqualTo(DecapOutcome.GENEVE_CONTROL);

        byte[] unknown = good.clone();
        unknown[2] = (byte) 0x88; // 0x8847, MPLS
        unknown[3] = 0x47;
        assertThat(decode(unknown, LinkType.GENEVE_PAYLOAD)).isEqualTo(DecapOutcome.GENEVE_UNKNOWN_PROTOCOL);

        byte[] optionsCut = Arrays.copyOf(good, 8 + 4); // header says 8 option bytes; 4 captured
        assertThat(decode(optionsCut, LinkType.GENEVE_PAYLOAD)).isEqualTo(DecapOutcome.GENEVE_TRUNCATED);

        byte[] criticalOptions = good.clone();
        criticalOptions[1] = 0x40; // C bit: obliges tunnel endpoints, not a passive observer
        assertThat(decode(criticalOptions, LinkType.GENEVE_PAYLOAD)).isEqualTo(DecapOutcome.TCP);
    }

    @Test
    void nestedTunnelsReportTheOutermostVni() {
        byte[] frame = inner().wrapGeneve(200, new byte[0]).wrapVxlan(100).build();
        assertThat(decode(frame, LinkType.ETHERNET)).isEqualTo(DecapOutcome.TCP);
        assertHello(out);
        assertThat(out.vni).isEqualTo(100);
    }

    @Test
    void tunnelDepthIsBounded() {
        byte[] three = inner().wrapVxlan(3).wrapVxlan(2).wrapVxlan(1).build();
        assertThat(decode(three, LinkType.ETHERNET)).isEqualTo(DecapOutcome.TUNNEL_TOO_DEEP); // default depth 2

        Decapsulator shallow = new Decapsulator(new DecapConfig(Set.of(4789), Set.of(6081), 1));
        byte[] two = inner().wrapVxlan(2).wrapVxlan(1).build();
        assertThat(DecapFixtures.decodeOne(shallow, two, LinkType.ETHERNET, out))
                .isEqualTo(DecapOutcome.TUNNEL_TOO_DEEP);
        byte[] payloadOfTwo = inner().wrapVxlan(2).wrapVxlan(1).tunnelPayload();
        assertThat(DecapFixtures.decodeOne(shallow, payloadOfTwo, LinkType.VXLAN_PAYLOAD, out))
                .isEqualTo(DecapOutcome.TUNNEL_TOO_DEEP); // the listener's VXLAN header counts as the first tunnel
    }

    @Test
    void vxlanOverIpv6Outer() {
        byte[] vxlan = FrameBuilder.vxlan(9, inner().build());
        byte[] frame = FrameBuilder.ethernet(FrameBuilder.ETHERTYPE_IPV6, FrameBuilder.ipv6("2001:db8::a",
                "2001:db8::b", FrameBuilder.IP_PROTO_UDP, FrameBuilder.udp(40000, 4789, vxlan)));
        assertThat(decode(frame, LinkType.ETHERNET)).isEqualTo(DecapOutcome.TCP);
        assertHello(out);
        assertThat(out.vni).isEqualTo(9);
    }

    @Test
    void tunnelPortsComeFromTheConfig() {
        byte[] frame = FrameBuilder.ethernet(FrameBuilder.ETHERTYPE_IPV4, FrameBuilder.ipv4("192.0.2.1", "192.0.2.2",
                FrameBuilder.IP_PROTO_UDP, FrameBuilder.udp(1, 8472, FrameBuilder.vxlan(4, inner().build()))));
        assertThat(decode(frame, LinkType.ETHERNET)).isEqualTo(DecapOutcome.UDP_OTHER);

        Decapsulator linuxPort = new Decapsulator(new DecapConfig(Set.of(4789, 8472), Set.of(), 2));
        assertThat(DecapFixtures.decodeOne(linuxPort, frame, LinkType.ETHERNET, out)).isEqualTo(DecapOutcome.TCP);
        assertThat(out.vni).isEqualTo(4);
    }

    @Test
    void bytesAfterTheUdpDatagramAreNotInnerPayload() {
        byte[] frame = FrameBuilder.concat(inner().wrapVxlan(1).build(), new byte[] {'x', 'y'});
        assertThat(decode(frame, LinkType.ETHERNET)).isEqualTo(DecapOutcome.TCP);
        assertThat(DecapFixtures.payload(out)).isEqualTo("hello");
    }
}
