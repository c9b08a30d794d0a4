package io.dbwire.core.protocol.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.protocol.session.FrameHandler;
import io.dbwire.core.protocol.session.MessageBuffer;
import io.dbwire.core.util.ReasonCounters;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The body buffer follows the bytes that arrived, never the length a header declares. */
class PgFramerMemoryTest {
    private static final int KEEP_CAP = 256 * 1024;

    private final List<Integer> framed = new ArrayList<>();
    private final PgFramer framer = new PgFramer(true, false, false, 64 << 20, KEEP_CAP,
            new ReasonCounters<>(PgEvent.class), new FrameHandler<>() {
                @Override
                public void onFrame(PgFrame frame) {
                    framed.add(frame.kept);
                }

                @Override
                public void onDesync() {}

                @Override
                public void onTail(byte[] buffer, int offset, int length, long tsMicros) {}
            });

    @Test
    void aHeaderDeclaringSixtyMebibytesAllocatesNoBuffer() {
        feed(queryHeader(60 << 20));
        assertThat(framer.state()).isEqualTo(PgFramer.State.BODY);
        assertThat(framer.bufferCapacity()).isZero();
        feed(new byte[1]);
        assertThat(framer.bufferCapacity()).isEqualTo(MessageBuffer.INITIAL_BYTES);
    }

    @Test
    void theBufferGrowsWithTheBodyBytesThatArriveAndIsReleasedAfterALargeMessage() {
        int declared = 100_000;
        feed(queryHeader(declared));
        feed(new byte[1000]);
        assertThat(framer.bufferCapacity()).isBetween(1000, 2048);
        feed(new byte[9000]);
        assertThat(framer.bufferCapacity()).isBetween(10_000, 20_480);
        feed(new byte[declared - 10_000]);
        assertThat(framed).containsExactly(declared);
        assertThat(framer.bufferCapacity()).isZero();
    }

    @Test
    void aMessageWithinTheRetainedSizeKeepsItsBufferForTheNext() {
        feed(queryHeader(5000));
        feed(new byte[5000]);
        assertThat(framed).containsExactly(5000);
        assertThat(framer.bufferCapacity()).isBetween(5000, MessageBuffer.RETAINED_BYTES);
    }

    @Test
    void aQuietDirectionGivesItsBufferBackBetweenMessagesAndGrowsItAgainForTheNext() {
        feed(queryHeader(100));
        feed(new byte[40]);
        framer.trimIdle(); // in the middle of a message: kept
        assertThat(framer.bufferCapacity()).isEqualTo(MessageBuffer.INITIAL_BYTES);
        feed(new byte[60]);
        framer.trimIdle();
        assertThat(framer.bufferCapacity()).isZero();
        feed(queryHeader(100));
        feed(new byte[100]);
        assertThat(framed).containsExactly(100, 100);
        assertThat(framer.bufferCapacity()).isEqualTo(MessageBuffer.INITIAL_BYTES);
    }

    private void feed(byte[] bytes) {
        framer.onData(bytes, 0, bytes.length, 1L);
    }

    private static byte[] queryHeader(int bodyLength) {
        int length = bodyLength + 4;
        return new byte[] {'Q', (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }
}
