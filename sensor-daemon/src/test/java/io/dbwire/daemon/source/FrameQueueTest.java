package io.dbwire.daemon.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.decap.LinkType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FrameQueueTest {
    private record Fed(int length, int first, LinkType type, long ts) {}

    private static Fed take(FrameQueue q) throws InterruptedException {
        Frame f = q.poll(0, TimeUnit.MILLISECONDS);
        List<Fed> out = new ArrayList<>();
        f.feed((b, off, len, type, ts) -> out.add(new Fed(len, b[off], type, ts)));
        q.release(f);
        return out.get(0);
    }

    private static ByteBuf datagram(int first, int size) {
        byte[] b = new byte[size];
        b[0] = (byte) first;
        return Unpooled.wrappedBuffer(b);
    }

    @Test
    void fullQueueRefusesAndKeepsWhatItHas() throws Exception {
        FrameQueue q = new FrameQueue(2);
        assertThat(q.offer(datagram(1, 10), LinkType.VXLAN_PAYLOAD, 100)).isTrue();
        assertThat(q.offer(datagram(2, 20), LinkType.GENEVE_PAYLOAD, 200)).isTrue();
        assertThat(q.offer(datagram(3, 30), LinkType.VXLAN_PAYLOAD, 300)).isFalse();
        assertThat(q.depth()).isEqualTo(2);

        assertThat(take(q)).isEqualTo(new Fed(10, 1, LinkType.VXLAN_PAYLOAD, 100));
        assertThat(take(q)).isEqualTo(new Fed(20, 2, LinkType.GENEVE_PAYLOAD, 200));
        assertThat(q.poll(0, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void framesAreReusedAndGrowForJumboDatagrams() throws Exception {
        FrameQueue q = new FrameQueue(1);
        for (int i = 0; i < 100; i++) {
            int size = i % 2 == 0 ? 60 : 9_000;
            assertThat(q.offer(datagram(i, size), LinkType.VXLAN_PAYLOAD, i)).isTrue();
            assertThat(take(q)).isEqualTo(new Fed(size, (byte) i, LinkType.VXLAN_PAYLOAD, i));
        }
    }

    @Test
    void readerIndexIsRespected() throws Exception {
        FrameQueue q = new FrameQueue(1);
        ByteBuf b = Unpooled.wrappedBuffer(new byte[] {9, 9, 7, 1, 2});
        b.readerIndex(2);
        q.offer(b, LinkType.VXLAN_PAYLOAD, 5);
        assertThat(take(q)).isEqualTo(new Fed(3, 7, LinkType.VXLAN_PAYLOAD, 5));
    }
}
