package io.dbwire.core.decap;

import static io.dbwire.core.decap.DecapFixtures.ETHERNET_IPV4;
import static io.dbwire.core.decap.DecapFixtures.IPV4_TCP_HELLO;
import static io.dbwire.core.decap.DecapFixtures.TS;
import static io.dbwire.core.decap.DecapFixtures.assertHello;
import static io.dbwire.core.decap.DecapFixtures.join;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinkLayerTest {
    private final Decapsulator decap = DecapFixtures.decapsulator();
    private final DecodedPacket out = new DecodedPacket();

    @Test
    void ethernetIpv4Tcp() {
        byte[] frame = join(ETHERNET_IPV4, IPV4_TCP_HELLO);
        assertThat(decap.decode(frame, 0, frame.length, LinkType.ETHERNET, TS, out)).isTrue();
        assertHello(out);
        assertThat(out.vni).isEqualTo(-1);
        assertThat(out.payloadOffset).isEqualTo(14 + 20 + 20);
        assertThat(out.data).isSameAs(frame); // no copy
        assertThat(decap.counters().get(DecapOutcome.TCP)).isEqualTo(1);
    }

    @Test
    void frameAtAnOffsetInsideALargerBuffer() {
        byte[] frame = join(new String[] {"ee ee ee"}, ETHERNET_IPV4, IPV4_TCP_HELLO, new String[] {"ee ee"});
        assertThat(decap.decode(frame, 3, frame.length - 5, LinkType.ETHERNET, TS, out)).isTrue();
        assertHello(out);
        assertThat(out.payloadOffset).isEqualTo(3 + 54);
    }

    @Test
    void ethernetPaddingIsNotPayload() {
        byte[] frame = Hex.bytes(
                "02 00 00 00 00 02 02 00 00 00 00 01 08 00", // Ethernet, IPv4
                "45 00 00 28",             // IPv4, total length 40: a bare ACK
                "00 01 40 00 40 06 00 00", // id, DF, TTL 64, TCP, checksum
                "0a 00 00 02 0a 00 00 01", // 10.0.0.2 -> 10.0.0.1
                "15 38 c3 50",             // 5432 -> 50000
                "00 00 00 01 00 00 00 02", // seq 1, ack 2
                "50 10 ff ff 00 00 00 00", // data offset 5, ACK, window, checksum, urgent
                "00 00 00 00 00 00");      // 6 bytes of padding up to the 60-byte Ethernet minimum
        assertThat(frame).hasSize(60);
        assertThat(decap.decode(frame, 0, frame.length, LinkType.ETHERNET, TS, out)).isTrue();
        assertThat(out.payloadLength).isZero();
        assertThat(out.payloadMissing).isZero();
        assertThat(out.tcpFlags).isEqualTo(DecodedPacket.ACK);
    }

    @Test
    void singleVlanTag() {
        byte[] frame = join(new String[] {
            "02 00 00 00 00 02", // destination MAC
            "02 00 00 00 00 01", // source MAC
            "81 00",             // TPID 802.1Q
            "20 64",             // PCP 1, DEI 0, VLAN id 100
            "08 00",             // EtherType IPv4
        }, IPV4_TCP_HELLO);
        assertThat(decap.decode(frame, 0, frame.length, LinkType.ETHERNET, TS, out)).isTrue();
        assertHello(out);
    }

    @Test
    void qinqTags() {
        byte[] frame = join(new String[] {
            "02 00 00 00 00 02 02 00 00 00 00 01", // MACs
            "88 a8",             // TPID 802.1ad (service tag)
            "00 0a",             // S-VLAN 10
            "81 00",             // TPID 802.1Q (customer tag)
            "00 14",             // C-VLAN 20
            "08 00",             // EtherType IPv4
        }, IPV4_TCP_HELLO);
        assertThat(decap.decode(frame, 0, frame.length, LinkType.ETHERNET, TS, out)).isTrue();
        assertHello(out);
    }

    @Test
    void legacyQinqTpid() {
        byte[] frame = join(new String[] {
            "02 00 00 00 00 02 02 00 00 00 00 01", // MACs
            "91 00 00 0a",       // TPID 0x9100 (pre-standard QinQ), VLAN 10
            "81 00 00 14",       // TPID 802.1Q, VLAN 20
            "08 00",             // EtherType IPv4
        }, IPV4_TCP_HELLO);
        assertThat(decap.decode(frame, 0, frame.length, LinkType.ETHERNET, TS, out)).isTrue();
        assertHello(out);
    }

    @Test
    void tooManyVlanTagsIsCounted() {
        FrameBuilder b = FrameBuilder.ipv4Tcp("10.0.0.1", 50000, "10.0.0.2", 5432, new byte[0]);
        for (int i = 0; i <= VlanTags.MAX_DEPTH; i++) {
            b.vlan(0x8100, i + 1);
        }
        byte[] frame = b.build();
        assertThat(decap.decode(frame, 0, frame.length, LinkType.ETHERNET, TS, out)).isFalse();
        assertThat(decap.counters().get(DecapOutcome.VLAN_TOO_DEEP)).isEqualTo(1);
    }

    @Test
    void maximumVlanDepthIsAccepted() {
        FrameBuilder b = FrameBuilder.ipv4Tcp("10.0.0.1", 50000, "10.0.0.2", 5432, new byte[0]);
        for (int i = 0; i < VlanTags.MAX_DEPTH; i++) {
            b.vlan(0x8100, i + 1);
        }
        byte[] frame = b.build();
        assertThat(decap.decode(frame, 0, frame.length, LinkType.ETHERNET, TS, out)).isTrue();
    }

    @Test
    void linuxCookedV1() {
        byte[] frame = join(new String[] {
            "00 00",             // packet type: to us
            "00 01",             // ARPHRD_ETHER
            "00 06",             // link-layer address length
            "02 00 00 00 00 01 00 00", // address, padded to 8
            "08 00",             // protocol IPv4 (offset 14)
        }, IPV4_TCP_HELLO);
        assertThat(decap.decode(frame, 0, frame.length, LinkType.LINUX_SLL, TS, out)).isTrue();
        assertHello(out);
        assertThat(out.payloadOffset).isEqualTo(16 + 40);
    }

    @Test
    void linuxCookedV1WithVlanTagKept() {
        byte[] frame = join(new String[] {
            "00 00 00 01 00 06 02 00 00 00 00 01 00 00", // pkttype, ARPHRD, addrlen, address
            "81 00",             // protocol: 802.1Q, tag follows
            "00 64 08 00",       // VLAN 100, EtherType IPv4
        }, IPV4_TCP_HELLO);
        assertThat(decap.decode(frame, 0, frame.length, LinkType.LINUX_SLL, TS, out)).isTrue();
        assertHello(out);
    }

    @Test
    void linuxCookedV2() {
        byte[] frame = join(new String[] {
            "08 00",             // protocol IPv4 (offset 0)
            "00 00",             // reserved
            "00 00 00 02",       // interface index 2
            "00 01",             // ARPHRD_ETHER
            "00",                // packet type: to us
            "06",                // link-layer address length
            "02 00 00 00 00 01 00 00", // address, padded to 8
        }, IPV4_TCP_HELLO);
        assertThat(decap.decode(frame, 0, frame.length, LinkType.LINUX_SLL2, TS, out)).isTrue();
        assertHello(out);
        assertThat(out.payloadOffset).isEqualTo(20 + 40);
    }

    @Test
    void rawIpv4() {
        byte[] frame = join(IPV4_TCP_HELLO);
        assertThat(decap.decode(frame, 0, frame.length, LinkType.RAW, TS, out)).isTrue();
        assertHello(out);
    }

    @Test
    void rawIpv6() {
        byte[] frame = FrameBuilder.ipv6Tcp("2001:db8::1", 50000, "2001:db8::2", 5432, new byte[] {1, 2, 3})
                .ipPacket();
        assertThat(decap.decode(frame, 0, frame.length, LinkType.RAW, TS, out)).isTrue();
        assertThat(out.ipVersion).isEqualTo(6);
        assertThat(IpAddresses.format(out.srcHi, out.srcLo)).isEqualTo("2001:db8::1");
        assertThat(out.payloadLength).isEqualTo(3);
    }

    @Test
    void rawWithAnotherVersionNibble() {
        byte[] frame = Hex.bytes("50 00 00 14"); // version 5
        assertThat(decap.decode(frame, 0, frame.length, LinkType.RAW, TS, out)).isFalse();
        assertThat(decap.counters().get(DecapOutcome.BAD_IP_VERSION)).isEqualTo(1);
    }

    @Test
    void cookedHeadersCutShort() {
        byte[] frame = Hex.bytes("00 00 00 01 00 06 02 00 00 00 00 01 00 00 08"); // 15 of 16 bytes
        assertThat(decap.decode(frame, 0, frame.length, LinkType.LINUX_SLL, TS, out)).isFalse();
        assertThat(decap.decode(frame, 0, frame.length, LinkType.LINUX_SLL2, TS, out)).isFalse();
        assertThat(decap.counters().get(DecapOutcome.LINK_TRUNCATED)).isEqualTo(2);
    }

    @Test
    void outIsResetBetweenPackets() {
        byte[] tunnelled = FrameBuilder.ipv4Tcp("10.0.0.1", 1, "10.0.0.2", 2, new byte[0]).wrapVxlan(9).build();
        byte[] plain = join(ETHERNET_IPV4, IPV4_TCP_HELLO);
        decap.decode(tunnelled, 0, tunnelled.length, LinkType.ETHERNET, TS, out);
        assertThat(out.vni).isEqualTo(9);
        decap.decode(plain, 0, plain.length, LinkType.ETHERNET, TS, out);
        assertThat(out.vni).isEqualTo(-1);
    }
}
