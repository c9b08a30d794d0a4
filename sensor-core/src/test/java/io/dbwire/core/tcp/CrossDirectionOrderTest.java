package io.dbwire.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.TcpConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two directions of a mirrored connection can reach the sensor out of order: a response before the request
 * it answers. Its ACK tells: it acknowledges request bytes not seen yet, so it is held until they arrive, and the
 * listener sees the conversation in the order it happened. If they never arrive, the hold ends after a bound and
 * the request direction gets a gap first.
 */
class CrossDirectionOrderTest {
    private static final long T0 = 1_700_000_000_000_000L;

    /** Events across both directions in the order the listener got them, e.g. {@code "C:Q1", "S:R1", "C:gap 2"}. */
    private final List<String> events = new ArrayList<>();
    private final StreamListenerFactory factory = new StreamListenerFactory() {
        @Override
        public StreamListener open(ConnectionInfo c) {
            return new StreamListener() {
                @Override
                public void onData(Direction d, byte[] b, int off, int len, long ts) {
                    events.add(side(d) + new String(b, off, len, StandardCharsets.US_ASCII));
                }

                @Override
                public void onGap(Direction d, long missing, long ts) {
                    events.add(side(d) + "gap " + missing);
                }

                @Override
                public void onClose(CloseReason reason, long ts) {
                    events.add("close " + reason);
                }
            };
        }

        @Override
        public boolean isServerPort(int port) {
            return port == 5432;
        }
    };
    private final TcpTracker tracker = new TcpTracker(new TcpConfig(16, 1 << 16, 1 << 20, 600_000_000L), factory);
    private final Wire w = new Wire(tracker, 1, 40_000, 2, 5432);

    private static String side(Direction d) {
        return d == Direction.CLIENT_TO_SERVER ? "C:" : "S:";
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aResponseSeenBeforeItsRequestIsDeliveredAfterIt() {
        w.handshake(T0, 0, 0);
        w.send(false, T0 + 20, Wire.ACK, 1, 3, ascii("R1")); // acknowledges request bytes [1, 3): not seen yet
        assertThat(events).isEmpty();
        w.send(true, T0 + 10, Wire.ACK, 1, 1, ascii("Q1"));
        w.send(true, T0 + 30, Wire.ACK, 3, 3, ascii("Q2"));
        w.send(false, T0 + 40, Wire.ACK, 3, 5, ascii("R2"));
        assertThat(events).containsExactly("C:Q1", "S:R1", "C:Q2", "S:R2");
        assertThat(tracker.counters().get(TcpEvent.HELD_FOR_PEER)).isEqualTo(1);
        assertThat(tracker.counters().get(TcpEvent.HOLD_EXPIRED)).isZero();
        assertThat(tracker.bufferedBytes()).isZero();
    }

    @Test
    void laterSegmentsOfTheHeldDirectionQueueBehindIt() {
        w.handshake(T0, 0, 0);
        w.send(false, T0 + 20, Wire.ACK, 1, 3, ascii("R1a"));
        w.send(false, T0 + 21, Wire.ACK, 4, 3, ascii("R1b"));
        w.send(true, T0 + 10, Wire.ACK, 1, 1, ascii("Q1"));
        assertThat(events).containsExactly("C:Q1", "S:R1a", "S:R1b");
        assertThat(tracker.counters().get(TcpEvent.GAP_EVENTS)).isZero();
    }

    @Test
    void aRequestTheMirrorDroppedBecomesAGapBeforeTheResponseAfterTheHoldBound() {
        w.handshake(T0, 0, 0);
        w.send(false, T0 + 20, Wire.ACK, 1, 3, ascii("R1")); // the request [1, 3) never reaches the sensor
        w.send(true, T0 + 20 + HeldSegments.MAX_HOLD_MICROS, Wire.ACK, 3, 3, ascii("Q2"));
        w.send(false, T0 + 30 + HeldSegments.MAX_HOLD_MICROS, Wire.ACK, 3, 5, ascii("R2"));
        assertThat(events).containsExactly("C:gap 2", "S:R1", "C:Q2", "S:R2");
        assertThat(tracker.counters().get(TcpEvent.HOLD_EXPIRED)).isEqualTo(1);
    }

    /**
     * What an operator reads off the counters after a loss: per direction the bytes and (estimated) packets the
     * mirror lost, and the connection counted affected once, at its first gap.
     */
    @Test
    void lossIsCountedPerDirectionInBytesAndPacketsAndTheConnectionOnce() {
        w.handshake(T0, 0, 0);
        w.send(true, T0 + 10, Wire.ACK, 1, 1, ascii("Q1Q1"));
        w.send(false, T0 + 20, Wire.ACK, 1, 5, ascii("R1R1"));
        // Two request packets of 4 bytes lost [5, 13), then the answer to them acknowledges them.
        w.send(false, T0 + 40, Wire.ACK, 5, 13, ascii("R2"));
        assertThat(tracker.counters().get(TcpEvent.CONNECTIONS_WITH_GAPS)).isZero();
        w.send(true, T0 + 50 + HeldSegments.MAX_HOLD_MICROS, Wire.ACK, 13, 7, ascii("Q3Q3"));
        assertThat(tracker.counters().get(TcpEvent.CONNECTIONS_WITH_GAPS)).as("counted at the first gap").isOne();
        // An answer packet lost [7, 11), the next one acknowledged past it by the client.
        w.send(false, T0 + 60 + HeldSegments.MAX_HOLD_MICROS, Wire.ACK, 11, 17, ascii("R4R4"));
        w.send(true, T0 + 70 + 2 * HeldSegments.MAX_HOLD_MICROS, Wire.ACK, 17, 15, ascii("Q5"));
        w.send(true, T0 + 80 + 3 * HeldSegments.MAX_HOLD_MICROS, Wire.ACK, 19, 15, ascii("Q6"));
        tracker.closeAll(T0 + 90 + 3 * HeldSegments.MAX_HOLD_MICROS);
        assertThat(events).contains("C:gap 8", "S:gap 4");
        assertThat(tracker.counters().get(TcpEvent.GAP_BYTES_CLIENT_TO_SERVER)).isEqualTo(8);
        assertThat(tracker.counters().get(TcpEvent.GAP_PACKETS_CLIENT_TO_SERVER)).as("8 bytes of 4-byte segments")
                .isEqualTo(2);
        assertThat(tracker.counters().get(TcpEvent.GAP_BYTES_SERVER_TO_CLIENT)).isEqualTo(4);
        assertThat(tracker.counters().get(TcpEvent.GAP_PACKETS_SERVER_TO_CLIENT)).isEqualTo(1);
        assertThat(tracker.counters().get(TcpEvent.CONNECTIONS_WITH_GAPS)).as("once per connection").isOne();
    }

    @Test
    void packetsOfAHoleAreItsBytesOverTheLargestSegmentRoundedUp() {
        assertThat(StreamReassembler.packetsIn(8, 4)).isEqualTo(2);
        assertThat(StreamReassembler.packetsIn(9, 4)).isEqualTo(3);
        assertThat(StreamReassembler.packetsIn(1, 1448)).isEqualTo(1);
        assertThat(StreamReassembler.packetsIn(100, 0)).as("no segment seen yet: one per hole").isEqualTo(1);
    }

    @Test
    void aRequestArrivingAfterALaterRequestStillPrecedesItsResponse() {
        w.handshake(T0, 0, 0);
        w.send(true, T0 + 30, Wire.ACK, 3, 3, ascii("Q2"));  // ahead of a hole [1, 3)
        w.send(false, T0 + 20, Wire.ACK, 1, 3, ascii("R1")); // answers Q1, still unseen
        w.send(true, T0 + 10, Wire.ACK, 1, 1, ascii("Q1"));
        w.send(false, T0 + 40, Wire.ACK, 3, 5, ascii("R2"));
        assertThat(events).containsExactly("C:Q1", "S:R1", "C:Q2", "S:R2");
    }

    @Test
    void closingWhileHoldingDeliversInConversationOrderThenClosesOnce() {
        w.handshake(T0, 0, 0);
        w.send(false, T0 + 20, Wire.ACK | Wire.FIN, 1, 3, ascii("R1"));
        w.send(true, T0 + 30, Wire.ACK | Wire.FIN, 3, 4, new byte[0]); // client FIN; its data [1, 3) is lost
        tracker.closeAll(T0 + 40);
        assertThat(events).containsExactly("C:gap 2", "S:R1", "close END_OF_INPUT");
        assertThat(tracker.activeFlows()).isZero();
        assertThat(tracker.bufferedBytes()).isZero();
    }

    @Test
    void aRstWhileHoldingDeliversTheHeldBytesFirst() {
        w.handshake(T0, 0, 0);
        w.send(false, T0 + 20, Wire.ACK, 1, 3, ascii("R1"));
        w.send(true, T0 + 30, Wire.RST, 3, 0);
        assertThat(events).containsExactly("C:gap 2", "S:R1", "close RST");
    }

    @Test
    void aFinCompletingTheCloseWhileHeldClosesAfterTheRelease() {
        w.handshake(T0, 0, 0);
        w.send(false, T0 + 20, Wire.ACK | Wire.FIN, 1, 3, ascii("R1")); // held, with its FIN
        w.send(true, T0 + 10, Wire.ACK | Wire.FIN, 1, 1, ascii("Q1"));  // the request, and the client's FIN
        assertThat(events).containsExactly("C:Q1", "S:R1", "close FIN");
    }

    @Test
    void acknowledgingTheFinIsNotAcknowledgingAMissingByte() {
        w.handshake(T0, 0, 0);
        w.send(true, T0 + 10, Wire.ACK, 1, 1, ascii("Q1"));
        w.send(true, T0 + 20, Wire.ACK | Wire.FIN, 3, 1); // the FIN takes sequence number 3
        w.send(false, T0 + 30, Wire.ACK, 1, 4, ascii("R1")); // acknowledges it: 4
        assertThat(events).containsExactly("C:Q1", "S:R1");
        assertThat(tracker.counters().get(TcpEvent.HELD_FOR_PEER)).isZero();
    }
}
