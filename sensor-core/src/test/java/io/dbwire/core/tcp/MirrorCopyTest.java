package io.dbwire.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.DecapConfig;
import io.dbwire.core.config.TcpConfig;
import io.dbwire.core.decap.Decapsulator;
import io.dbwire.core.decap.DecodedPacket;
import io.dbwire.core.decap.FrameBuilder;
import io.dbwire.core.decap.LinkType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Both ENIs of a connection mirrored: every packet arrives twice, under two VNIs. The connection is tracked once
 * (under the first VNI), the second copy of each packet is dropped as {@code mirror_duplicate}, and genuine
 * retransmissions stay retransmissions. Also keep-alives and zero-window probes, which look like copies but are not.
 */
class MirrorCopyTest {
    private static final long T0 = 1_700_000_000_000_000L;
    private static final TcpConfig CONFIG = new TcpConfig(64, 1 << 16, 1 << 20, 600_000_000L);

    private final Recorder rec = new Recorder(5432);
    private final TcpTracker tracker = new TcpTracker(CONFIG, rec);

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends a packet from the source ENI's session (VNI 100), then its copy from the destination's (VNI 200). */
    private void both(Wire w, boolean fromClient, long ts, int flags, long seq, long ack, byte[] payload) {
        w.send(fromClient, ts, flags, seq, ack, payload);
        w.copy(200, fromClient, ts + 30, flags, seq, ack, payload);
    }

    @Test
    void everyPacketTwiceGivesOneConnectionWithEachByteOnce() {
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        w.vni = 100;
        both(w, true, T0, Wire.SYN, 100, 0, new byte[0]);
        both(w, false, T0 + 100, Wire.SYN | Wire.ACK, 500, 101, new byte[0]);
        both(w, true, T0 + 200, Wire.ACK, 101, 501, new byte[0]);
        both(w, true, T0 + 300, Wire.ACK, 101, 501, ascii("Q1"));
        both(w, false, T0 + 400, Wire.ACK, 501, 103, ascii("R123"));
        both(w, true, T0 + 500, Wire.FIN | Wire.ACK, 103, 505, new byte[0]);
        both(w, false, T0 + 600, Wire.FIN | Wire.ACK, 505, 104, new byte[0]);
        both(w, true, T0 + 700, Wire.ACK, 104, 506, new byte[0]);

        Recorder.Conn c = rec.only();
        assertThat(c.info.vni()).isEqualTo(100);
        assertThat(c.info.midStream()).isFalse();
        assertThat(c.layout(Direction.CLIENT_TO_SERVER)).isEqualTo("D2");
        assertThat(c.layout(Direction.SERVER_TO_CLIENT)).isEqualTo("D4");
        assertThat(c.closeReason).isEqualTo(CloseReason.FIN);
        assertThat(c.closes).isEqualTo(1);
        // The second FIN closed the flow: its copy and both copies of the last ACK meet the closed entry.
        assertThat(tracker.counters().get(TcpEvent.MIRROR_DUPLICATE)).isEqualTo(6);
        assertThat(tracker.counters().get(TcpEvent.AFTER_CLOSE)).isEqualTo(3);
        assertThat(tracker.counters().get(TcpEvent.RETRANSMISSION)).isZero();
        assertThat(tracker.counters().get(TcpEvent.PORT_REUSE)).isZero();
    }

    @Test
    void aDataCopyArrivingAfterTheCloseOpensNoSecondConnection() {
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        w.vni = 100;
        w.handshake(T0, 0, 0);
        w.send(true, T0 + 10, Wire.ACK | Wire.FIN, 1, 1, ascii("X"));     // Terminate, then FIN
        w.send(false, T0 + 20, Wire.ACK | Wire.FIN, 1, 3, new byte[0]);
        w.copy(200, true, T0 + 400, Wire.ACK | Wire.FIN, 1, 1, ascii("X")); // the other session, lagging
        assertThat(rec.opened).hasSize(1);
        assertThat(rec.only().closeReason).isEqualTo(CloseReason.FIN);
        assertThat(tracker.activeFlows()).isZero();
        tracker.closeAll(T0 + 500);
        assertThat(rec.only().closes).isEqualTo(1);
    }

    @Test
    void copiesInterleavedWithReorderingStillGiveTheBytesOnce() {
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        w.vni = 100;
        w.handshake(T0, 0, 0);
        w.send(true, T0 + 10, Wire.ACK, 4, 1, ascii("def")); // ahead of a hole
        w.send(true, T0 + 11, Wire.ACK, 1, 1, ascii("abc"));
        w.copy(200, true, T0 + 12, Wire.ACK, 1, 1, ascii("abc"));
        w.send(false, T0 + 13, Wire.ACK, 1, 7, new byte[0]);
        assertThat(rec.only().bytes(Direction.CLIENT_TO_SERVER)).isEqualTo(ascii("abcdef"));
        assertThat(tracker.counters().get(TcpEvent.MIRROR_DUPLICATE)).isEqualTo(1);
    }

    @Test
    void aRetransmissionIsNotAMirrorCopy() {
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        w.handshake(T0, 0, 0);
        w.send(true, T0 + 10, Wire.ACK, 1, 1, ascii("abc"));
        w.send(true, T0 + 200_000, Wire.ACK, 1, 1, ascii("abc")); // RTO: same segment, new IP identification
        assertThat(tracker.counters().get(TcpEvent.RETRANSMISSION)).isEqualTo(1);
        assertThat(tracker.counters().get(TcpEvent.MIRROR_DUPLICATE)).isZero();
        assertThat(rec.only().layout(Direction.CLIENT_TO_SERVER)).isEqualTo("D3");
    }

    @Test
    void aCopyLongAfterTheOriginalIsJustARetransmission() {
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        w.handshake(T0, 0, 0);
        w.send(true, T0 + 10, Wire.ACK, 1, 1, ascii("abc"));
        w.copy(200, true, T0 + 10 + TcpTracker.MIRROR_COPY_WINDOW_MICROS, Wire.ACK, 1, 1, ascii("abc"));
        assertThat(tracker.counters().get(TcpEvent.MIRROR_DUPLICATE)).isZero();
        assertThat(tracker.counters().get(TcpEvent.RETRANSMISSION)).isEqualTo(1);
        assertThat(rec.only().layout(Direction.CLIENT_TO_SERVER)).isEqualTo("D3");
    }

    @Test
    void keepAlivesCarryAnOldByteAndChangeNothing() {
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        w.handshake(T0, 0, 0);
        w.send(true, T0 + 10, Wire.ACK, 1, 1, ascii("abc"));
        w.send(false, T0 + 20, Wire.ACK, 1, 4, new byte[0]);
        for (int i = 1; i <= 3; i++) {
            // RFC 9293 3.8.4: seq = SND.NXT - 1 with zero or one garbage byte; the peer answers with a pure ACK.
            w.send(true, T0 + i * 75_000_000L, Wire.ACK, 3, 1, ascii("\0"));
            w.send(false, T0 + i * 75_000_000L + 50, Wire.ACK, 1, 4, new byte[0]);
        }
        w.send(true, T0 + 400_000_000L, Wire.ACK, 4, 1, ascii("de"));
        Recorder.Conn c = rec.only();
        assertThat(c.bytes(Direction.CLIENT_TO_SERVER)).isEqualTo(ascii("abcde"));
        assertThat(c.layout(Direction.CLIENT_TO_SERVER)).isEqualTo("D5");
        assertThat(tracker.counters().get(TcpEvent.OVERLAP_CONFLICT)).isZero();
        assertThat(tracker.counters().get(TcpEvent.GAP_EVENTS)).isZero();
        assertThat(c.closes).isZero();
    }

    @Test
    void zeroWindowProbesDeliverTheirByteOnce() {
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        w.handshake(T0, 0, 0);
        w.send(false, T0 + 10, Wire.ACK, 1, 1, ascii("row1"));
        // The client's window is zero: the server probes with the next byte, over and over, until it opens.
        for (int i = 1; i <= 4; i++) {
            w.send(false, T0 + i * 200_000L, Wire.ACK, 5, 1, ascii("r"));
            w.send(true, T0 + i * 200_000L + 10, Wire.ACK, 1, 5, new byte[0]); // not accepted yet
        }
        w.send(false, T0 + 2_000_000L, Wire.ACK, 5, 1, ascii("row2"));
        w.send(true, T0 + 2_000_010L, Wire.ACK, 1, 9, new byte[0]);
        Recorder.Conn c = rec.only();
        assertThat(c.bytes(Direction.SERVER_TO_CLIENT)).isEqualTo(ascii("row1row2"));
        assertThat(tracker.counters().get(TcpEvent.GAP_EVENTS)).isZero();
        assertThat(tracker.counters().get(TcpEvent.OVERLAP_CONFLICT)).isZero();
    }

    @Test
    void sackEraHolesFillLateWithoutGaps() {
        // Receiver-side SACK lets the sender fill holes long after later data: the ACK stays below the hole.
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        w.handshake(T0, 0, 0);
        w.send(false, T0 + 10, Wire.ACK, 1, 1, ascii("aaaa"));
        w.send(false, T0 + 11, Wire.ACK, 9, 1, ascii("cccc"));   // [5, 9) lost on the wire
        w.send(false, T0 + 12, Wire.ACK, 17, 1, ascii("eeee"));  // [13, 17) lost too
        w.send(true, T0 + 13, Wire.ACK, 1, 5, new byte[0]);      // cumulative ACK at the first hole (SACK blocks aside)
        w.send(false, T0 + 50_000, Wire.ACK, 5, 1, ascii("bbbb"));
        w.send(false, T0 + 50_001, Wire.ACK, 13, 1, ascii("dddd"));
        w.send(true, T0 + 50_002, Wire.ACK, 1, 21, new byte[0]);
        assertThat(rec.only().bytes(Direction.SERVER_TO_CLIENT)).isEqualTo(ascii("aaaabbbbccccddddeeee"));
        assertThat(tracker.counters().get(TcpEvent.GAP_EVENTS)).isZero();
    }

    @Test
    void realFramesThroughDecapInTwoVxlanSessionsAreRecognisedAsCopies() {
        Decapsulator decap = new Decapsulator(DecapConfig.defaults());
        DecodedPacket p = new DecodedPacket();
        byte[] inner = FrameBuilder.ipv4Tcp("10.0.0.1", 40000, "10.0.0.2", 5432, 1, 1, Wire.ACK, ascii("SELECT 1"))
                .build();
        byte[][] frames = {
            FrameBuilder.ethernetFrame(inner).wrapVxlan(100).build(),
            FrameBuilder.ethernetFrame(inner).wrapVxlan(200).build(), // the other ENI's session: a copy
            null,
        };
        inner[14 + 5]++; // the sender's retransmission: same segment, next IP identification
        frames[2] = FrameBuilder.ethernetFrame(inner).wrapVxlan(100).build();
        for (byte[] f : frames) {
            assertThat(decap.decode(f, 0, f.length, LinkType.ETHERNET, T0, p)).isTrue();
            tracker.onPacket(p);
        }
        assertThat(tracker.counters().get(TcpEvent.MIRROR_DUPLICATE)).isEqualTo(1);
        assertThat(tracker.counters().get(TcpEvent.RETRANSMISSION)).isEqualTo(1);
        assertThat(rec.only().bytes(Direction.CLIENT_TO_SERVER)).isEqualTo(ascii("SELECT 1"));
        assertThat(rec.only().info.vni()).isEqualTo(100);
    }
}
