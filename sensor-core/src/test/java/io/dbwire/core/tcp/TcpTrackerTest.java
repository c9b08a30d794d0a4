package io.dbwire.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.TcpConfig;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TcpTrackerTest {
    private static final long T0 = 1_764_172_800_000_000L; // 2025-11-26T16:00:00Z in microseconds
    private static final TcpConfig CONFIG = new TcpConfig(100, 1 << 16, 1 << 20, 60_000_000L);

    private final Recorder rec = new Recorder(5432);

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(Recorder.Conn c, Direction d) {
        return new String(c.bytes(d), StandardCharsets.US_ASCII);
    }

    @Test
    void handshakeAssignsRolesEvenWhenTheClientSortsFirstOrLast() {
        TcpTracker tracker = new TcpTracker(CONFIG, rec);
        // Client 10.0.0.9 sorts after the server 10.0.0.2: the canonical key order must not leak into roles.
        Wire w = new Wire(tracker, 9, 41_000, 2, 5432);
        w.handshake(T0, 1000, 5000);
        w.send(true, T0 + 1, Wire.ACK, 1001, 5001, ascii("Q"));
        w.send(false, T0 + 2, Wire.ACK, 5001, 1002, ascii("Z"));

        Recorder.Conn c = rec.only();
        assertThat(c.info).isEqualTo(new ConnectionInfo(1, -1, "10.0.0.9", 41_000, "10.0.0.2", 5432, false, T0));
        assertThat(text(c, Direction.CLIENT_TO_SERVER)).isEqualTo("Q");
        assertThat(text(c, Direction.SERVER_TO_CLIENT)).isEqualTo("Z");
        assertThat(tracker.flowsOpened()).isEqualTo(1);
        assertThat(tracker.activeFlows()).isEqualTo(1);
    }

    @Test
    void aConnectionQuietForFiveSecondsOfPacketTimeIsTrimmedOnceAndAgainAfterItSpokeAgain() {
        TcpTracker tracker = new TcpTracker(CONFIG, rec);
        Wire quiet = new Wire(tracker, 1, 40_000, 2, 5432);
        Wire busy = new Wire(tracker, 3, 40_001, 2, 5432);
        quiet.handshake(T0, 1000, 5000);
        busy.handshake(T0, 7000, 9000);
        long seq = 7001;
        for (long t = T0 + 1_000_000; t <= T0 + 12_000_000; t += 500_000, seq++) {
            busy.send(true, t, Wire.ACK, seq, 9001, ascii("x")); // speaks twice a second: never trimmed
        }
        Recorder.Conn q = rec.conns.get(1L);
        Recorder.Conn b = rec.conns.get(2L);
        assertThat(q.quiet).isEqualTo(1); // once per quiet spell, not once per scan
        assertThat(b.quiet).isZero();

        quiet.send(true, T0 + 12_100_000, Wire.ACK, 1001, 5001, ascii("Q"));
        for (long t = T0 + 13_000_000; t <= T0 + 19_000_000; t += 500_000, seq++) {
            busy.send(true, t, Wire.ACK, seq, 9001, ascii("x"));
        }
        assertThat(q.quiet).isEqualTo(2);
        assertThat(b.quiet).isZero();
    }

    @Test
    void theMostRecentlyActiveConnectionIsTrimmedAgainAfterItSpokeWhereItStood() {
        TcpTracker tracker = new TcpTracker(CONFIG, rec);
        Wire only = new Wire(tracker, 1, 40_000, 2, 5432);
        Wire other = new Wire(tracker, 3, 40_001, 2, 5432);
        only.handshake(T0, 1000, 5000);
        other.handshake(T0 + 1, 7000, 9000); // both quiet from here; the scan below trims both
        other.send(true, T0 + 6_000_000, Wire.ACK, 7001, 9001, ascii("x")); // now the tail, trimmed before
        other.send(true, T0 + 6_100_000, Wire.ACK, 7002, 9001, ascii("y"));
        only.send(true, T0 + 13_000_000, Wire.ACK, 1001, 5001, ascii("Q")); // the next scan trims the other
        assertThat(rec.conns.get(2L).quiet).isEqualTo(2);
    }

    @Test
    void synAckSeenFirstMakesItsSenderTheServerAndSetsBothStarts() {
        TcpTracker tracker = new TcpTracker(CONFIG, rec);
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        w.send(false, T0, Wire.SYN | Wire.ACK, 5000, 1001); // the client's SYN was not captured
        w.send(true, T0 + 1, Wire.ACK, 1001, 5001, ascii("hello"));
        Recorder.Conn c = rec.only();
        assertThat(c.info.clientPort()).isEqualTo(40_000);
        assertThat(c.info.midStream()).isFalse();
        assertThat(c.layout(Direction.CLIENT_TO_SERVER)).isEqualTo("D5");
    }

    @Test
    void midStreamRolesComeFromTheServerPort() {
        TcpTracker tracker = new TcpTracker(CONFIG, rec);
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        w.send(false, T0, Wire.ACK, 900_000, 70_000, ascii("row")); // server speaks first in our capture
        w.send(true, T0 + 1, Wire.ACK, 70_000, 900_003, ascii("next"));
        Recorder.Conn c = rec.only();
        assertThat(c.info).isEqualTo(new ConnectionInfo(1, -1, "10.0.0.1", 40_000, "10.0.0.2", 5432, true, T0));
        assertThat(c.layout(Direction.SERVER_TO_CLIENT)).isEqualTo("D3");
        assertThat(c.layout(Direction.CLIENT_TO_SERVER)).isEqualTo("D4");
    }

    @Test
    void flowsWithoutADatabasePortAreCountedAndNotTracked() {
        TcpTracker tracker = new TcpTracker(CONFIG, rec);
        Wire w = new Wire(tracker, 1, 40_000, 2, 80);
        w.send(true, T0, Wire.SYN, 1, 0);
        w.send(true, T0, Wire.ACK, 2, 9, ascii("GET /"));
        assertThat(rec.opened).isEmpty();
        assertThat(tracker.activeFlows()).isZero();
        assertThat(tracker.counters().get(TcpEvent.NOT_DATABASE)).isEqualTo(2);
    }

    @Test
    void aDeclinedConnectionIsAskedAboutOnce() {
        rec.decline = true;
        TcpTracker tracker = new TcpTracker(CONFIG, rec);
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        w.handshake(T0, 1, 1);
        w.send(true, T0, Wire.ACK, 2, 2, ascii("x"));
        w.send(true, T0, Wire.SYN, 1, 0); // retransmitted SYN, same ISN: same connection
        assertThat(rec.opened).hasSize(1);
        assertThat(tracker.activeFlows()).isEqualTo(1);
        assertThat(tracker.counters().get(TcpEvent.DECLINED_BY_FACTORY)).isEqualTo(1);
    }

    @Test
    void oneTupleUnderTwoVnisIsOneConnectionReportedUnderTheFirstVni() {
        TcpTracker tracker = new TcpTracker(CONFIG, rec);
        Wire a = new Wire(tracker, 1, 40_000, 2, 5432);
        a.vni = 7;
        Wire b = new Wire(tracker, 1, 40_000, 2, 5432);
        b.vni = 8;
        a.handshake(T0, 1, 1);
        b.handshake(T0, 1, 1); // another session's copies (their digests differ: counted as retransmissions)
        b.send(true, T0 + 1, Wire.ACK, 2, 2, "Q".getBytes());
        assertThat(tracker.activeFlows()).isEqualTo(1);
        assertThat(rec.opened).hasSize(1);
        assertThat(rec.get(1).info.vni()).isEqualTo(7);
        assertThat(rec.get(1).layout(Direction.CLIENT_TO_SERVER)).isEqualTo("D1");
    }

    @Test
    void rstClosesAtOnceAndReportsTheHoleBeforeBufferedBytes() {
        TcpTracker tracker = new TcpTracker(CONFIG, rec);
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        w.handshake(T0, 0, 0);
        w.send(true, T0 + 1, Wire.ACK, 1, 1, ascii("ab"));
        w.send(true, T0 + 2, Wire.ACK, 6, 1, ascii("fg")); // [3,6) never arrives
        w.send(false, T0 + 3, Wire.RST, 1, 0);
        Recorder.Conn c = rec.only();
        assertThat(c.closeReason).isEqualTo(CloseReason.RST);
        assertThat(c.closes).isEqualTo(1);
        assertThat(c.closeTs).isEqualTo(T0 + 3);
        assertThat(c.layout(Direction.CLIENT_TO_SERVER)).isEqualTo("D2 G3 D2");
        assertThat(tracker.activeFlows()).isZero();
        assertThat(tracker.bufferedBytes()).isZero();
        w.send(true, T0 + 4, Wire.ACK, 8, 1); // a trailing ACK opens nothing
        w.send(true, T0 + 5, Wire.ACK, 3, 1, ascii("cde")); // nor does a late retransmission of lost data
        assertThat(rec.opened).hasSize(1);
        assertThat(tracker.counters().get(TcpEvent.AFTER_CLOSE)).isEqualTo(2);
        // Past the window, data on the tuple is picked up as a new mid-stream connection.
        w.send(true, T0 + 5 + TcpTracker.AFTER_CLOSE_WINDOW_MICROS, Wire.ACK, 8, 1, ascii("Q"));
        assertThat(rec.opened).hasSize(2);
        assertThat(rec.opened.get(1).midStream()).isTrue();
        assertThat(tracker.activeFlows()).isEqualTo(1);
    }

    @Test
    void finFromClientThenServerClosesAfterTheData() {
        finInBothOrders(true);
    }

    @Test
    void finFromServerThenClientClosesAfterTheData() {
        finInBothOrders(false);
    }

    private void finInBothOrders(boolean clientFirst) {
        TcpTracker tracker = new TcpTracker(CONFIG, rec);
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        w.handshake(T0, 100, 500);
        w.send(true, T0 + 1, Wire.ACK, 101, 501, ascii("X"));
        w.send(false, T0 + 2, Wire.ACK, 501, 102, ascii("bye"));
        w.send(clientFirst, T0 + 3, Wire.FIN | Wire.ACK, clientFirst ? 102 : 504, clientFirst ? 504 : 102);
        assertThat(rec.only().closes).isZero();
        w.send(!clientFirst, T0 + 4, Wire.FIN | Wire.ACK, clientFirst ? 504 : 102, clientFirst ? 103 : 505);
        Recorder.Conn c = rec.only();
        assertThat(c.closeReason).isEqualTo(CloseReason.FIN);
        assertThat(c.closes).isEqualTo(1);
        assertThat(c.layout(Direction.CLIENT_TO_SERVER)).isEqualTo("D1");
        assertThat(c.layout(Direction.SERVER_TO_CLIENT)).isEqualTo("D3");
        assertThat(tracker.activeFlows()).isZero();
        assertThat(tracker.counters().get(TcpEvent.FIN_CLOSED)).isEqualTo(1);
    }

    @Test
    void finWithDataAndAHoleBeforeItReportsTheGapAtClose() {
        TcpTracker tracker = new TcpTracker(CONFIG, rec);
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        w.handshake(T0, 0, 0);
        w.send(true, T0 + 1, Wire.FIN | Wire.ACK, 4, 1, ascii("end")); // [1,4) missing; FIN at 7
        w.send(false, T0 + 2, Wire.FIN, 1, 0);
        Recorder.Conn c = rec.only();
        assertThat(c.closes).as("the missing bytes may only be late: the reorder window is theirs").isZero();
        w.send(false, T0 + 2 + CONFIG.reorderWindowMicros(), Wire.ACK, 2, 8); // any later packet ends the wait
        assertThat(c.layout(Direction.CLIENT_TO_SERVER)).isEqualTo("G3 D3");
        assertThat(c.closeReason).isEqualTo(CloseReason.FIN);
    }

    @Test
    void aFinThatOvertookTheLastDataWaitsForItWithinTheReorderWindow() {
        TcpTracker tracker = new TcpTracker(CONFIG, rec);
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        w.handshake(T0, 100, 500);
        w.send(true, T0 + 1, Wire.ACK, 101, 501, ascii("X"));
        // The server's answer "bye" [501,504) is overtaken by both FINs (a load balancer reordered it).
        w.send(false, T0 + 3, Wire.FIN | Wire.ACK, 504, 102);
        w.send(true, T0 + 4, Wire.FIN | Wire.ACK, 102, 505);
        Recorder.Conn c = rec.only();
        assertThat(c.closes).isZero();
        w.send(false, T0 + 2_000, Wire.ACK, 501, 102, ascii("bye")); // 2 ms late, within the window
        assertThat(c.closeReason).isEqualTo(CloseReason.FIN);
        assertThat(c.layout(Direction.SERVER_TO_CLIENT)).as("delivered whole, no gap").isEqualTo("D3");
        assertThat(tracker.counters().get(TcpEvent.GAP_EVENTS)).isZero();
        assertThat(tracker.activeFlows()).isZero();
    }

    @Test
    void aConfiguredReorderWindowDecidesHowLongAnAcknowledgedHoleMayWait() {
        TcpConfig oneMs = new TcpConfig(100, 1 << 16, 1 << 20, 60_000_000L, 1_000);
        TcpTracker tracker = new TcpTracker(oneMs, rec);
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        w.handshake(T0, 0, 0);
        w.send(true, T0 + 10, Wire.ACK, 6, 1, ascii("late")); // [1,6) not seen yet
        w.send(false, T0 + 20, Wire.ACK, 1, 10, ascii("R")); // the server got it all: [1,6) was sent
        w.send(false, T0 + 600, Wire.ACK, 2, 10, ascii("S"));
        Recorder.Conn c = rec.only();
        assertThat(c.layout(Direction.CLIENT_TO_SERVER)).as("within 1 ms the hole still waits").isEmpty();
        w.send(false, T0 + 1_100, Wire.ACK, 3, 10, ascii("T"));
        assertThat(c.layout(Direction.CLIENT_TO_SERVER)).startsWith("G5 D4");
        assertThat(tracker.counters().get(TcpEvent.GAP_ACKED) + tracker.counters().get(TcpEvent.HOLD_EXPIRED))
                .isPositive();
    }

    @Test
    void aNewSynOnAClosingConnectionStartsANewOne() {
        TcpTracker tracker = new TcpTracker(CONFIG, rec);
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        w.handshake(T0, 100, 500);
        w.send(true, T0 + 1, Wire.FIN | Wire.ACK, 101, 501); // closing: the server's FIN is never seen
        w.send(true, T0 + 2, Wire.SYN, 9_000, 0);
        w.send(false, T0 + 2, Wire.SYN | Wire.ACK, 7_000, 9_001);
        w.send(true, T0 + 3, Wire.ACK, 9_001, 7_001, ascii("again"));
        assertThat(rec.get(1).closeReason).isEqualTo(CloseReason.PORT_REUSE);
        assertThat(rec.get(1).closeTs).isEqualTo(T0 + 2);
        assertThat(rec.get(2).info.id()).isEqualTo(2);
        assertThat(rec.get(2).layout(Direction.CLIENT_TO_SERVER)).isEqualTo("D5");
        assertThat(tracker.counters().get(TcpEvent.PORT_REUSE)).isEqualTo(1);
        assertThat(tracker.flowsOpened()).isEqualTo(2);
        assertThat(tracker.activeFlows()).isEqualTo(1);
    }

    @Test
    void aLateCopyOfTheSynAfterTheSynAckIsNotPortReuse() {
        TcpTracker tracker = new TcpTracker(CONFIG, rec);
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        w.send(false, T0, Wire.SYN | Wire.ACK, 5000, 1001); // SYN+ACK first: the client ISN was 1000
        w.send(true, T0, Wire.SYN, 1000, 0); // the SYN, reordered by the mirror
        w.send(true, T0 + 1, Wire.ACK, 1001, 5001, ascii("q"));
        assertThat(rec.only().layout(Direction.CLIENT_TO_SERVER)).isEqualTo("D1");
        assertThat(tracker.counters().get(TcpEvent.PORT_REUSE)).isZero();
    }

    @Test
    void aSynOnAnEstablishedMidStreamConnectionReplacesIt() {
        TcpTracker tracker = new TcpTracker(CONFIG, rec);
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        w.send(true, T0, Wire.ACK, 777, 888, ascii("x")); // mid-stream; its end is never captured
        w.send(true, T0 + 1, Wire.SYN, 42, 0);
        assertThat(rec.get(1).closeReason).isEqualTo(CloseReason.PORT_REUSE);
        assertThat(rec.get(2).info.midStream()).isFalse();
        assertThat(tracker.activeFlows()).isEqualTo(1);
    }

    @Test
    void aDeclinedConnectionsEntryGoesAwayOnRst() {
        rec.decline = true;
        TcpTracker tracker = new TcpTracker(CONFIG, rec);
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        w.handshake(T0, 1, 1);
        assertThat(tracker.activeFlows()).isEqualTo(1);
        w.send(false, T0 + 1, Wire.RST, 2, 0);
        assertThat(tracker.activeFlows()).isZero();
    }

    @Test
    void aNewSynAfterAFullCloseIsSimplyANewConnection() {
        TcpTracker tracker = new TcpTracker(CONFIG, rec);
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        w.handshake(T0, 100, 500);
        w.send(true, T0 + 1, Wire.FIN | Wire.ACK, 101, 501);
        w.send(false, T0 + 1, Wire.FIN | Wire.ACK, 501, 102);
        w.send(true, T0 + 2, Wire.SYN, 9_000, 0);
        assertThat(rec.get(1).closeReason).isEqualTo(CloseReason.FIN);
        assertThat(rec.get(2)).isNotNull();
        assertThat(tracker.counters().get(TcpEvent.PORT_REUSE)).isZero();
    }

    @Test
    void idleConnectionsCloseOnPacketTimeAtTheNextOncePerSecondScan() {
        TcpTracker tracker = new TcpTracker(CONFIG, rec); // idle timeout 60 s
        Wire quiet = new Wire(tracker, 1, 40_000, 2, 5432);
        Wire busy = new Wire(tracker, 3, 40_000, 2, 5432);
        quiet.handshake(T0, 1, 1);
        busy.handshake(T0, 1, 1);
        busy.send(true, T0 + 30_000_000, Wire.ACK, 2, 2, ascii("a"));
        busy.send(true, T0 + 59_999_999, Wire.ACK, 3, 2, ascii("b")); // scans; next scan from T0 + 60.999999 s
        busy.send(true, T0 + 60_500_000, Wire.ACK, 4, 2, ascii("c")); // due, but within a second of the last scan
        assertThat(rec.get(1).closes).isZero();
        busy.send(true, T0 + 61_000_000, Wire.ACK, 5, 2, ascii("d"));
        assertThat(rec.get(1).closeReason).isEqualTo(CloseReason.IDLE_TIMEOUT);
        assertThat(rec.get(1).closeTs).isEqualTo(T0 + 61_000_000);
        assertThat(rec.get(2).closes).isZero();
        assertThat(rec.get(2).layout(Direction.CLIENT_TO_SERVER)).isEqualTo("D4");
        assertThat(tracker.activeFlows()).isEqualTo(1);
        assertThat(tracker.counters().get(TcpEvent.IDLE_CLOSED)).isEqualTo(1);
    }

    @Test
    void theLeastRecentlyActiveFlowIsEvictedAtMaxFlows() {
        TcpTracker tracker = new TcpTracker(new TcpConfig(2, 1 << 16, 1 << 20, 60_000_000L), rec);
        Wire first = new Wire(tracker, 1, 40_000, 2, 5432);
        Wire second = new Wire(tracker, 3, 40_000, 2, 5432);
        Wire third = new Wire(tracker, 4, 40_000, 2, 5432);
        first.handshake(T0, 0, 0);
        second.handshake(T0 + 1, 0, 0);
        second.send(true, T0 + 2, Wire.ACK, 4, 1, ascii("late")); // held behind the hole [1,4)
        first.send(true, T0 + 3, Wire.ACK, 1, 1, ascii("x")); // first is now the more recent
        third.handshake(T0 + 4, 0, 0);
        Recorder.Conn evicted = rec.get(2);
        assertThat(evicted.closeReason).isEqualTo(CloseReason.EVICTED);
        assertThat(evicted.layout(Direction.CLIENT_TO_SERVER)).isEqualTo("G3 D4");
        assertThat(rec.get(1).closes).isZero();
        assertThat(tracker.activeFlows()).isEqualTo(2);
        assertThat(tracker.counters().get(TcpEvent.EVICTED_FLOWS)).isEqualTo(1);
        assertThat(tracker.bufferedBytes()).isZero();
    }

    @Test
    void anExhaustedGlobalBudgetMakesTheNextFlowGiveUpItsHole() {
        TcpTracker tracker = new TcpTracker(new TcpConfig(10, 1000, 100, 60_000_000L), rec);
        Wire a = new Wire(tracker, 1, 40_000, 2, 5432);
        Wire b = new Wire(tracker, 3, 40_000, 2, 5432);
        a.handshake(T0, 0, 0);
        b.handshake(T0, 0, 0);
        a.send(true, T0 + 1, Wire.ACK, 11, 1, new byte[80]); // 80 of 100 held behind a's hole [1,11)
        b.send(true, T0 + 2, Wire.ACK, 6, 1, new byte[30]); // 30 more do not fit
        assertThat(tracker.counters().get(TcpEvent.BUDGET_EXHAUSTED)).isEqualTo(1);
        assertThat(rec.get(2).layout(Direction.CLIENT_TO_SERVER)).isEqualTo("G5 D30");
        assertThat(rec.get(1).layout(Direction.CLIENT_TO_SERVER)).isEmpty();
        assertThat(tracker.bufferedBytes()).isEqualTo(80);
        tracker.closeAll(T0 + 3);
        assertThat(rec.get(1).layout(Direction.CLIENT_TO_SERVER)).isEqualTo("G10 D80");
        assertThat(rec.get(1).closeReason).isEqualTo(CloseReason.END_OF_INPUT);
        assertThat(tracker.bufferedBytes()).isZero();
    }

    @Test
    void aTruncatedSegmentDeliversItsCapturedPartThenAGap() {
        TcpTracker tracker = new TcpTracker(CONFIG, rec);
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        w.handshake(T0, 0, 0);
        byte[] b = ascii("SELECT");
        w.send(true, T0 + 1, Wire.ACK, 1, 1, b, 0, 6, 1394); // snaplen cut 1394 of 1400 bytes
        w.send(true, T0 + 2, Wire.ACK, 1401, 1, ascii(";"));
        assertThat(rec.only().layout(Direction.CLIENT_TO_SERVER)).isEqualTo("D6 G1394 D1");
        assertThat(tracker.counters().get(TcpEvent.TRUNCATED_SEGMENTS)).isEqualTo(1);
        assertThat(tracker.counters().get(TcpEvent.GAP_BYTES)).isEqualTo(1394);
    }

    @Test
    void serverAckPastAMirrorDropDeclaresTheGapInTheClientStream() {
        TcpTracker tracker = new TcpTracker(CONFIG, rec);
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        w.handshake(T0, 0, 0);
        w.send(true, T0 + 1, Wire.ACK, 11, 1, ascii("second")); // [1,11) was dropped by the mirror
        w.send(false, T0 + 2, Wire.ACK, 1, 17, ascii("reply")); // the server got it all
        Recorder.Conn c = rec.only();
        // [1,11) may only be late (the two directions reach the sensor out of order): the reply waits for it.
        assertThat(c.layout(Direction.SERVER_TO_CLIENT)).isEmpty();
        w.send(true, T0 + 2 + HeldSegments.MAX_HOLD_MICROS, Wire.ACK, 17, 6);
        assertThat(c.layout(Direction.CLIENT_TO_SERVER)).isEqualTo("G10 D6");
        assertThat(c.layout(Direction.SERVER_TO_CLIENT)).isEqualTo("D5");
        assertThat(tracker.counters().get(TcpEvent.GAP_EVENTS)).isEqualTo(1);
        assertThat(tracker.counters().get(TcpEvent.HOLD_EXPIRED)).isEqualTo(1);
    }

    @Test
    void closeAllClosesEveryConnectionOnce() {
        TcpTracker tracker = new TcpTracker(CONFIG, rec);
        for (int host = 10; host < 15; host++) {
            new Wire(tracker, host, 40_000, 2, 5432).handshake(T0, 0, 0);
        }
        tracker.closeAll(T0 + 5);
        assertThat(rec.conns.values()).allSatisfy(c -> {
            assertThat(c.closes).isEqualTo(1);
            assertThat(c.closeReason).isEqualTo(CloseReason.END_OF_INPUT);
        });
        assertThat(tracker.activeFlows()).isZero();
        tracker.closeAll(T0 + 6);
        assertThat(rec.conns.values()).allSatisfy(c -> assertThat(c.closes).isEqualTo(1));
    }

    @Test
    void aMillionOneShotFlowsNeverExceedMaxFlows() {
        long[] closes = new long[CloseReason.values().length];
        StreamListener counting = new StreamListener() {
            @Override
            public void onData(Direction d, byte[] b, int o, int l, long ts) {}

            @Override
            public void onGap(Direction d, long missing, long ts) {}

            @Override
            public void onClose(CloseReason reason, long ts) {
                closes[reason.ordinal()]++;
            }
        };
        StreamListenerFactory factory = new StreamListenerFactory() {
            @Override
            public StreamListener open(ConnectionInfo c) {
                return counting;
            }

            @Override
            public boolean isServerPort(int port) {
                return port == 5432;
            }
        };
        TcpTracker tracker = new TcpTracker(new TcpConfig(10_000, 1 << 16, 1 << 24, 600_000_000L), factory);
        Wire w = new Wire(tracker, 1, 1, 2, 5432);
        byte[] query = ascii("Q");
        int max = 0;
        for (int i = 0; i < 1_000_000; i++) {
            // client 10.1.x.y:port distinct per i; one mid-stream segment each, 1 us apart (no idle expiry)
            w.clientLo = Wire.v4(10, 1, (i >>> 20) & 0xFF, (i >>> 12) & 0xFF);
            w.clientPort = 1024 + (i & 0xFFF);
            w.send(true, T0 + i, Wire.ACK, i, 0, query, 0, 1, 0);
            max = Math.max(max, tracker.activeFlows());
        }
        assertThat(max).isEqualTo(10_000);
        assertThat(tracker.flowsOpened()).isEqualTo(1_000_000);
        assertThat(tracker.counters().get(TcpEvent.EVICTED_FLOWS)).isEqualTo(tracker.flowsOpened() - 10_000);
        assertThat(closes[CloseReason.EVICTED.ordinal()]).isEqualTo(tracker.flowsOpened() - 10_000);
    }
}
