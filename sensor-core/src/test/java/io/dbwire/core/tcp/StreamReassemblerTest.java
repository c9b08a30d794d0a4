package io.dbwire.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.util.ReasonCounters;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One direction on its own, run for both directions: the same routine must serve both. */
class StreamReassemblerTest {
    private final ReasonCounters<TcpEvent> counters = new ReasonCounters<>(TcpEvent.class);
    private final Recorder.Conn out = new Recorder.Conn(null);

    private StreamReassembler reassembler(Direction d, int maxBuffered, BufferBudget budget) {
        return new StreamReassembler(d, out, budget, counters, maxBuffered);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void send(StreamReassembler r, long seq, String text) {
        byte[] b = ascii(text);
        r.onSegment(seq & 0xFFFF_FFFFL, b, 0, b.length, 0, 1);
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void sequenceNumbersWrapAroundAt2To32(Direction d) {
        StreamReassembler r = reassembler(d, 1 << 16, new BufferBudget(1 << 20));
        long first = (1L << 32) - 4; // "abcd" ends exactly at 2^32, "efgh" starts at seq 0
        r.init(first);
        send(r, first + 8, "ijkl"); // seq 4: out of order, after the wrap
        send(r, first + 4, "efgh"); // seq 0
        send(r, first, "abcd"); // seq 2^32 - 4
        assertThat(new String(out.bytes(d), StandardCharsets.US_ASCII)).isEqualTo("abcdefghijkl");
        assertThat(out.layout(d)).isEqualTo("D12");
        assertThat(r.nextSeq()).isEqualTo(8);
        assertThat(r.bufferedBytes()).isZero();
        send(r, first + 2, "cdef"); // an old retransmission across the wrap
        assertThat(counters.get(TcpEvent.RETRANSMISSION)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void partialOverlapDeliversOnlyNewBytesAndFirstCopyWins(Direction d) {
        StreamReassembler r = reassembler(d, 1 << 16, new BufferBudget(1 << 20));
        r.init(1000);
        send(r, 1004, "EFGH"); // buffered first
        send(r, 1006, "XYIJ"); // overlaps "GH" with different bytes: conflict, the buffered "GH" wins
        send(r, 1000, "ABCDEF"); // in order; its "EF" overlap agrees
        assertThat(new String(out.bytes(d), StandardCharsets.US_ASCII)).isEqualTo("ABCDEFGHIJ");
        assertThat(counters.get(TcpEvent.OVERLAP_CONFLICT)).isEqualTo(1);
        assertThat(counters.get(TcpEvent.PARTIAL_OVERLAP)).isEqualTo(2);
        assertThat(counters.get(TcpEvent.OUT_OF_ORDER)).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void perFlowBoundGivesUpTheHoleAndCounts(Direction d) {
        BufferBudget budget = new BufferBudget(1 << 20);
        StreamReassembler r = reassembler(d, 8, budget);
        r.init(0);
        send(r, 4, "abcdef"); // 6 bytes held behind a 4-byte hole
        send(r, 20, "uvw"); // 6 + 3 > 8: the hole [0,4) is given up, the 6 bytes delivered, "uvw" now fits
        assertThat(out.layout(d)).isEqualTo("G4 D6");
        assertThat(counters.get(TcpEvent.BUFFER_LIMIT)).isEqualTo(1);
        assertThat(r.bufferedBytes()).isEqualTo(3);
        assertThat(budget.used()).isEqualTo(3);
        r.flush(2);
        assertThat(out.layout(d)).isEqualTo("G4 D6 G10 D3");
        assertThat(budget.used()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void segmentLargerThanTheBoundIsStillDeliveredAfterAGap(Direction d) {
        StreamReassembler r = reassembler(d, 4, new BufferBudget(1 << 20));
        r.init(0);
        send(r, 3, "0123456789");
        assertThat(out.layout(d)).isEqualTo("G3 D10");
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void truncatedSegmentsBecomeGapsInOrderAndOutOfOrder(Direction d) {
        StreamReassembler r = reassembler(d, 1 << 16, new BufferBudget(1 << 20));
        r.init(0);
        byte[] b = ascii("abcd");
        r.onSegment(10, b, 0, 4, 6, 1); // out of order: [10,14) captured, [14,20) announced but missing
        r.onSegment(0, b, 0, 4, 6, 1); // in order: [0,4) captured, [4,10) missing
        assertThat(out.layout(d)).isEqualTo("D4 G6 D4 G6");
        assertThat(counters.get(TcpEvent.TRUNCATED_SEGMENTS)).isEqualTo(2);
        send(r, 20, "z");
        assertThat(out.layout(d)).isEqualTo("D4 G6 D4 G6 D1");
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void peerAckPastAHoleDeclaresItLost(Direction d) {
        StreamReassembler r = reassembler(d, 1 << 16, new BufferBudget(1 << 20));
        r.init(100);
        send(r, 105, "fgh");
        r.onAck(105, 1); // acknowledges up to the hole's end only: nothing known lost beyond it yet
        assertThat(out.layout(d)).as("the bytes may only be late: a grace first").isEmpty();
        r.onAck(105, 1 + StreamReassembler.REORDER_WINDOW_MICROS);
        assertThat(out.layout(d)).isEqualTo("G5 D3");
        assertThat(counters.get(TcpEvent.GAP_ACKED)).isEqualTo(1);
        r.onAck(120, 1 + StreamReassembler.REORDER_WINDOW_MICROS); // tail [108,120) never seen: at close
        assertThat(out.layout(d)).isEqualTo("G5 D3");
        r.flush(2);
        assertThat(out.layout(d)).isEqualTo("G5 D3 G12");
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void reorderingWithinTheWindowIsNoGapHoweverManyAcksComeMeanwhile(Direction d) {
        StreamReassembler r = reassembler(d, 1 << 16, new BufferBudget(1 << 20));
        r.init(100);
        send(r, 105, "fgh");
        r.onAck(108, 1); // the hole is acknowledged: the reorder window starts
        for (int i = 0; i < 100; i++) {
            r.onAck(108, 2 + i); // a busy connection: many ACKs within the window
        }
        assertThat(out.layout(d)).isEmpty();
        send(r, 100, "abcde"); // the late packet: no gap
        assertThat(out.layout(d)).isEqualTo("D8");
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void bufferedBytesKeepTheirOwnPacketTime(Direction d) {
        StreamReassembler r = reassembler(d, 1 << 16, new BufferBudget(1 << 20));
        r.init(100);
        r.onSegment(105, "fgh".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, 3, 0, 7_000);
        r.onSegment(100, "abcde".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, 5, 0, 9_000);
        assertThat(out.times(d)).containsExactly(9_000L, 7_000L);
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void ackBelowTheHoleDeclaresNothing(Direction d) {
        StreamReassembler r = reassembler(d, 1 << 16, new BufferBudget(1 << 20));
        r.init(100);
        send(r, 105, "fgh");
        r.onAck(104, 1);
        assertThat(out.layout(d)).isEmpty();
        send(r, 100, "abcde");
        assertThat(out.layout(d)).isEqualTo("D8");
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void midStreamFirstPayloadSetsTheStartWithoutAGap(Direction d) {
        StreamReassembler r = reassembler(d, 1 << 16, new BufferBudget(1 << 20));
        send(r, 77_777, "hello");
        r.onFin(77_782);
        r.flush(1);
        assertThat(out.layout(d)).isEqualTo("D5");
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void finBeyondTheLastByteSeenReportsTheMissingTail(Direction d) {
        StreamReassembler r = reassembler(d, 1 << 16, new BufferBudget(1 << 20));
        r.init(0);
        send(r, 0, "abc");
        send(r, 6, "ghi");
        r.onFin(12);
        r.flush(1);
        assertThat(out.layout(d)).isEqualTo("D3 G3 D3 G3");
    }
}
