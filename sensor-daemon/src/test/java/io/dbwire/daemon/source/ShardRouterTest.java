package io.dbwire.daemon.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.DecapConfig;
import io.dbwire.core.decap.LinkType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardRouterTest {
    private final List<FrameQueue> queues = List.of(new FrameQueue(4096), new FrameQueue(4096), new FrameQueue(4096),
            new FrameQueue(4096));
    private final ShardRouter router = new ShardRouter(queues, DecapConfig.defaults());

    /** Raw IPv4 + TCP (20 + 20 bytes), no payload: all the router needs to find the flow. */
    private static byte[] tcp(int srcIp, int srcPort, int dstIp, int dstPort) {
        ByteBuffer b = ByteBuffer.allocate(40);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 40).putShort((short) 1).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0).putInt(srcIp).putInt(dstIp); // IPv4
        b.putShort((short) srcPort).putShort((short) dstPort).putInt(1).putInt(0)
                .put((byte) 0x50).put((byte) 0x02).putShort((short) 65535).putInt(0); // TCP SYN, offset 5
        return b.array();
    }

    @Test
    void bothDirectionsOfAConnectionGoToOneShard() {
        for (int port = 40_000; port < 40_200; port++) {
            byte[] request = tcp(0x0A000115, port, 0x0A000232, 5432);
            byte[] response = tcp(0x0A000232, 5432, 0x0A000115, port);
            assertThat(router.shardOf(response, 0, response.length, LinkType.RAW, 0))
                    .isEqualTo(router.shardOf(request, 0, request.length, LinkType.RAW, 0));
        }
    }

    @Test
    void connectionsSpreadOverEveryShard() {
        Set<Integer> used = new HashSet<>();
        for (int port = 40_000; port < 40_200; port++) {
            byte[] f = tcp(0x0A000115, port, 0x0A000232, 5432);
            used.add(router.shardOf(f, 0, f.length, LinkType.RAW, 0));
        }
        assertThat(used).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void framesThatAreNotTcpGoToTheFirstShardAndAreStillQueued() {
        byte[] junk = {1, 2, 3};
        assertThat(router.offer(junk, 0, junk.length, LinkType.RAW, 0)).isTrue();
        router.flush();
        assertThat(queues.get(0).depth()).isEqualTo(1);
        List<Integer> depths = new ArrayList<>();
        queues.forEach(q -> depths.add(q.depth()));
        assertThat(depths).containsExactly(1, 0, 0, 0);
    }

    /** The first of two IPv4 fragments (MF set, offset 0) of a TCP datagram: 20 + 24 bytes. */
    private static byte[] firstFragment(int id) {
        ByteBuffer b = ByteBuffer.allocate(44);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 44).putShort((short) id).putShort((short) 0x2000)
                .put((byte) 64).put((byte) 6).putShort((short) 0).putInt(0x0A000115).putInt(0x0A000232);
        b.putShort((short) 40_000).putShort((short) 5432).putInt(1).putInt(0)
                .put((byte) 0x50).put((byte) 0x18).putShort((short) 65535).putInt(0).putInt(0);
        return b.array();
    }

    @Test
    void anIncompleteDatagramIsHeldThenHandedToTheFirstShardAfterTheReassemblyTimeout() {
        byte[] fragment = firstFragment(7);
        assertThat(router.offer(fragment, 0, fragment.length, LinkType.RAW, 1_000_000)).isTrue();
        router.flush();
        assertThat(queues).allMatch(q -> q.depth() == 0); // held: its shard is not known yet

        byte[] junk = {1, 2, 3};
        router.offer(junk, 0, junk.length, LinkType.RAW, 1_000_000 + 31_000_000);
        router.flush();
        assertThat(queues.get(0).depth()).isEqualTo(2); // the fragment, then the frame that moved time on
    }
}
