package io.dbwire.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.DecapConfig;
import io.dbwire.core.config.TcpConfig;
import io.dbwire.core.decap.DecapOutcome;
import io.dbwire.core.decap.Decapsulator;
import io.dbwire.core.decap.DecodedPacket;
import io.dbwire.core.decap.FragmentLimits;
import io.dbwire.core.decap.LinkType;
import org.junit.jupiter.api.Test;

/**
 * Millions of distinct flows, each holding out-of-order bytes, and a flood of never-completed fragments: the
 * tables stay within their configured bounds (by their own accounting) and the heap stays flat (measured after
 * GC at a warm point and at the end, with a generous margin: a leak of even 16 bytes per flow would be 48 MB).
 */
class MemoryBoundsTest {
    private static final long T0 = 1_700_000_000_000_000L;
    private static final int MAX_FLOWS = 20_000;
    private static final long BUDGET = 8L << 20;
    private static final int FLOWS = 3_000_000;

    private static final StreamListenerFactory FACTORY = new StreamListenerFactory() {
        @Override
        public StreamListener open(ConnectionInfo c) {
            return StreamListener.IGNORE;
        }

        @Override
        public boolean isServerPort(int port) {
            return port == 5432;
        }
    };

    @Test
    void millionsOfFlowsWithBufferedBytesKeepTheTableTheBudgetAndTheHeapFlat() {
        TcpTracker tracker = new TcpTracker(new TcpConfig(MAX_FLOWS, 1 << 16, BUDGET, 600_000_000L), FACTORY);
        Wire w = new Wire(tracker, 1, 1, 2, 5432);
        byte[] payload = new byte[700];
        long warm = 0;
        for (int i = 0; i < FLOWS; i++) {
            w.clientLo = Wire.v4(10, (i >>> 24) & 0xFF, (i >>> 16) & 0xFF, (i >>> 8) & 0xFF);
            w.clientPort = 1024 + (i & 0xFF);
            // A SYN flood's worth of handshake-less flows, each with a segment ahead of a hole: 700 bytes buffered.
            w.send(true, T0 + i, Wire.ACK, 1, 0, payload, 0, 1, 0);
            w.send(true, T0 + i, Wire.ACK, 1000, 0, payload, 0, payload.length, 0);
            if (i == FLOWS / 10) {
                warm = usedHeapAfterGc();
            }
            if ((i & 0xFFFF) == 0) {
                assertThat(tracker.activeFlows()).isLessThanOrEqualTo(MAX_FLOWS);
                assertThat(tracker.bufferedBytes()).isBetween(0L, BUDGET);
            }
        }
        long end = usedHeapAfterGc();
        assertThat(tracker.activeFlows()).isEqualTo(MAX_FLOWS);
        assertThat(tracker.bufferedBytes()).isBetween(0L, BUDGET);
        assertThat(tracker.flowsOpened()).isEqualTo(FLOWS);
        assertThat(tracker.counters().get(TcpEvent.EVICTED_FLOWS)).isEqualTo(FLOWS - MAX_FLOWS);
        assertThat(end - warm).as("heap growth from 10%% to 100%% of the flows").isLessThan(48L << 20);
        tracker.closeAll(T0 + FLOWS);
        assertThat(tracker.activeFlows()).isZero();
        assertThat(tracker.bufferedBytes()).isZero();
    }

    @Test
    void aFloodOfIncompleteFragmentedDatagramsStaysWithinTheFragmentBounds() {
        FragmentLimits limits = new FragmentLimits(1000, 2L << 20, 30_000_000L);
        Decapsulator decap = new Decapsulator(DecapConfig.defaults(), limits);
        DecodedPacket out = new DecodedPacket();
        // Raw IPv4, first fragment (MF, offset 0) of 1400 bytes, identification and source varying per datagram.
        byte[] ip = new byte[20 + 1400];
        ip[0] = 0x45;
        ip[2] = (byte) (ip.length >>> 8);
        ip[3] = (byte) ip.length;
        ip[6] = 0x20;
        ip[8] = 64;
        ip[9] = 6;
        ip[12] = 10;
        ip[16] = 10;
        ip[19] = 2;
        long warm = 0;
        for (int i = 0; i < 1_000_000; i++) {
            ip[4] = (byte) (i >>> 8);
            ip[5] = (byte) i;
            ip[13] = (byte) (i >>> 16);
            ip[14] = (byte) (i >>> 24);
            decap.decode(ip, 0, ip.length, LinkType.RAW, T0 + i, out);
            assertThat(decap.fragmentDatagrams()).isLessThanOrEqualTo(1000);
            assertThat(decap.fragmentBytes()).isLessThanOrEqualTo(2L << 20);
            if (i == 100_000) {
                warm = usedHeapAfterGc();
            }
        }
        assertThat(usedHeapAfterGc() - warm).isLessThan(32L << 20);
        assertThat(decap.counters().get(DecapOutcome.IP_FRAGMENT)).isEqualTo(1_000_000);
        assertThat(decap.counters().get(DecapOutcome.FRAGMENT_EVICTED) + decap.counters().get(DecapOutcome.FRAGMENT_TIMEOUT))
                .isEqualTo(1_000_000 - decap.fragmentDatagrams());
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
