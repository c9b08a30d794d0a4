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

    /** Every frame of the next batch, in order. */
    private static List<Fed> take(FrameQueue q) throws InterruptedException {
        FrameBatch b = q.poll(0, TimeUnit.MILLISECONDS);
        assertThat(b).isNotNull();
        List<Fed> out = new ArrayList<>();
        for (int i = 0; i < b.size(); i++) {
            b.feed(i, (bytes, off, len, type, ts) -> out.add(new Fed(len, bytes[off], type, ts)));
        }
        q.release(b);
        return out;
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
        assertThat(q.depth()).isEqualTo(2); // a batch of 2 is full, so it went without a flush

        assertThat(take(q)).containsExactly(new Fed(10, 1, LinkType.VXLAN_PAYLOAD, 100),
                new Fed(20, 2, LinkType.GENEVE_PAYLOAD, 200));
        assertThat(q.poll(0, TimeUnit.MILLISECONDS)).isNull();
        assertThat(q.offer(datagram(4, 40), LinkType.VXLAN_PAYLOAD, 400)).isTrue(); // room again once taken
    }

    @Test
    void framesWaitInTheirBatchUntilFlushedOrFull() throws Exception {
        FrameQueue q = new FrameQueue(1_000);
        for (int i = 0; i < 3; i++) {
            assertThat(q.offer(datagram(i, 100 + i), LinkType.VXLAN_PAYLOAD, i)).isTrue();
        }
        assertThat(q.depth()).isZero();
        assertThat(q.poll(0, TimeUnit.MILLISECONDS)).isNull();
        q.flush();
        assertThat(q.depth()).isEqualTo(3);
        assertThat(take(q)).extracting(Fed::length).containsExactly(100, 101, 102);

        for (int i = 0; i < FrameQueue.BATCH_FRAMES + 1; i++) {
            q.offer(datagram(i, 60), LinkType.VXLAN_PAYLOAD, i);
        }
        assertThat(q.depth()).isEqualTo(FrameQueue.BATCH_FRAMES); // the full batch went by itself
        assertThat(take(q)).hasSize(FrameQueue.BATCH_FRAMES);
        q.flush();
        assertThat(take(q)).containsExactly(new Fed(60, FrameQueue.BATCH_FRAMES, LinkType.VXLAN_PAYLOAD,
                FrameQueue.BATCH_FRAMES));
    }

    @Test
    void batchesAreReusedAndGrowForJumboDatagrams() throws Exception {
        FrameQueue q = new FrameQueue(8);
        for (int round = 0; round < 50; round++) {
            List<Fed> sent = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int size = (round + i) % 2 == 0 ? 60 : 9_000;
                assertThat(q.offer(datagram(i, size), LinkType.VXLAN_PAYLOAD, round * 10L + i)).isTrue();
                sent.add(new Fed(size, i, LinkType.VXLAN_PAYLOAD, round * 10L + i));
            }
            q.flush();
            assertThat(take(q)).isEqualTo(sent);
        }
    }

    @Test
    void eachReceivingThreadFillsItsOwnBatch() throws Exception {
        FrameQueue q = new FrameQueue(1_000);
        q.offer(datagram(1, 10), LinkType.VXLAN_PAYLOAD, 1);
        Thread other = new Thread(() -> {
            q.offer(datagram(2, 20), LinkType.VXLAN_PAYLOAD, 2);
            q.flush();
        });
        other.start();
        other.join();
        assertThat(take(q)).containsExactly(new Fed(20, 2, LinkType.VXLAN_PAYLOAD, 2));
        q.flush();
        assertThat(take(q)).containsExactly(new Fed(10, 1, LinkType.VXLAN_PAYLOAD, 1));
    }

    @Test
    void readerIndexIsRespected() throws Exception {
        FrameQueue q = new FrameQueue(1);
        ByteBuf b = Unpooled.wrappedBuffer(new byte[] {9, 9, 7, 1, 2});
        b.readerIndex(2);
        q.offer(b, LinkType.VXLAN_PAYLOAD, 5);
        assertThat(take(q)).containsExactly(new Fed(3, 7, LinkType.VXLAN_PAYLOAD, 5));
    }
}
