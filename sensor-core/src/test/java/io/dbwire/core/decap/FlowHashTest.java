package io.dbwire.core.decap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FlowHashTest {
    private static DecodedPacket packet(long srcLo, int srcPort, long dstLo, int dstPort, int vni) {
        DecodedPacket p = new DecodedPacket();
        p.srcLo = IpAddresses.IPV4_MAPPED_PREFIX | srcLo;
        p.srcPort = srcPort;
        p.dstLo = IpAddresses.IPV4_MAPPED_PREFIX | dstLo;
        p.dstPort = dstPort;
        p.vni = vni;
        return p;
    }

    @Test
    void bothDirectionsHashAlike() {
        SplittableRandom random = new SplittableRandom(5952);
        for (int i = 0; i < 10_000; i++) {
            long a = random.nextLong(1L << 32);
            long b = random.nextLong(1L << 32);
            int pa = random.nextInt(65536);
            int pb = random.nextInt(65536);
            int vni = random.nextInt(-1, 1 << 24);
            assertThat(FlowHash.symmetric(packet(a, pa, b, pb, vni)))
                    .isEqualTo(FlowHash.symmetric(packet(b, pb, a, pa, vni)));
        }
    }

    @Test
    void bothDirectionsOfADecodedConversation() {
        Decapsulator decap = DecapFixtures.decapsulator();
        DecodedPacket request = new DecodedPacket();
        DecodedPacket response = new DecodedPacket();
        byte[] c2s = FrameBuilder.ipv6Tcp("2001:db8::1", 50000, "2001:db8::2", 5432, new byte[1]).wrapVxlan(8).build();
        byte[] s2c = FrameBuilder.ipv6Tcp("2001:db8::2", 5432, "2001:db8::1", 50000, new byte[1]).wrapVxlan(8).build();
        decap.decode(c2s, 0, c2s.length, LinkType.ETHERNET, 0, request);
        decap.decode(s2c, 0, s2c.length, LinkType.ETHERNET, 0, response);
        assertThat(FlowHash.symmetric(request)).isEqualTo(FlowHash.symmetric(response));
    }

    @Test
    void portsArePartsButNotTheVni() {
        int base = FlowHash.symmetric(packet(1, 50000, 2, 5432, 1));
        // Mirror copies of one connection arrive under two VNIs: they must reach the same shard.
        assertThat(FlowHash.symmetric(packet(1, 50000, 2, 5432, 2))).isEqualTo(base);
        assertThat(FlowHash.symmetric(packet(1, 50001, 2, 5432, 1))).isNotEqualTo(base);
        // Same port on both sides of a host pair: XOR-style hashes collapse these; ordering does not.
        assertThat(FlowHash.symmetric(packet(1, 7, 2, 7, 1))).isNotEqualTo(FlowHash.symmetric(packet(3, 7, 4, 7, 1)));
    }

    @Test
    void clientPortsSpreadEvenlyOverShards() {
        // Many connections from one client to one server differ only in the client port: the common case.
        int shards = 8;
        int[] counts = new int[shards];
        int flows = 16_000;
        for (int port = 32768; port < 32768 + flows; port++) {
            counts[Math.floorMod(FlowHash.symmetric(packet(0x0A000001L, port, 0x0A000002L, 5432, 3)), shards)]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(flows / shards * 9 / 10, flows / shards * 11 / 10);
        }
    }
}
