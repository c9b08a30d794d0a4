package io.dbwire.core.decap;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.DecapConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IPv4 and IPv6 fragments of the inner packet are reassembled, bounded, and every outcome is counted. */
class FragmentReassemblyTest {
    /** 100 bytes of SQL: with a 20-byte TCP header the IP payload is 120 bytes, cut at 48 and 96. */
    private static final String QUERY = "SELECT id, name, email FROM customers WHERE id = 42 AND name LIKE 'x%' ORDER BY id LIMIT 100;";
    private static final long SECOND = 1_000_000L;

    private Decapsulator decap = new Decapsulator(DecapConfig.defaults());
    private final DecodedPacket out = new DecodedPacket();

    private static byte[] ipv4Packet(String payload) {
        return FrameBuilder.ipv4("10.0.0.1", "10.0.0.2", FrameBuilder.IP_PROTO_TCP,
                FrameBuilder.tcp(50000, 5432, 1000, 2000, FrameBuilder.DEFAULT_FLAGS, new byte[0],
                        payload.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private DecapOutcome feed(byte[] ipPacket, long ts) {
        byte[] frame = FrameBuilder.ethernet(FrameBuilder.ETHERTYPE_IPV4, ipPacket);
        decap.decode(frame, 0, frame.length, LinkType.ETHERNET, ts, out);
        return lastOutcome;
    }

    private DecapOutcome lastOutcome;

    private DecapOutcome feedFrame(byte[] frame, LinkType type, long ts) {
        long[] before = snapshot();
        decap.decode(frame, 0, frame.length, type, ts, out);
        long[] after = snapshot();
        for (DecapOutcome o : DecapOutcome.values()) {
            if (o.frameOutcome() && after[o.ordinal()] != before[o.ordinal()]) {
                return o;
            }
        }
        throw new AssertionError("no frame outcome counted");
    }

    private long[] snapshot() {
        long[] s = new long[DecapOutcome.values().length];
        for (DecapOutcome o : DecapOutcome.values()) {
            s[o.ordinal()] = decap.counters().get(o);
        }
        return s;
    }

    private DecapOutcome ip(byte[] ipPacket) {
        return feedFrame(FrameBuilder.ethernet(FrameBuilder.ETHERTYPE_IPV4, ipPacket), LinkType.ETHERNET, SECOND);
    }

    private DecapOutcome ip6(byte[] ipPacket) {
        return feedFrame(FrameBuilder.ethernet(FrameBuilder.ETHERTYPE_IPV6, ipPacket), LinkType.ETHERNET, SECOND);
    }

    @Test
    void threeFragmentsInOrderGiveOneSegment() {
        List<byte[]> pieces = Fragments.ipv4(ipv4Packet(QUERY), 0x4242, 48, 96);
        assertThat(ip(pieces.get(0))).isEqualTo(DecapOutcome.IP_FRAGMENT);
        assertThat(ip(pieces.get(1))).isEqualTo(DecapOutcome.IP_FRAGMENT);
        assertThat(ip(pieces.get(2))).isEqualTo(DecapOutcome.TCP_REASSEMBLED);
        assertThat(DecapFixtures.payload(out)).isEqualTo(QUERY);
        assertThat(out.srcPort).isEqualTo(50000);
        assertThat(out.dstPort).isEqualTo(5432);
        assertThat(out.seq).isEqualTo(1000);
        assertThat(out.isIpv4Mapped(true)).isTrue();
        assertThat(out.srcLo & 0xFFFF_FFFFL).isEqualTo(0x0A000001L);
    }

    @Test
    void everyOrderOfTheFragmentsReassemblesTheSameSegment() {
        int[][] orders = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
        int id = 1;
        for (int[] order : orders) {
            List<byte[]> pieces = Fragments.ipv4(ipv4Packet(QUERY), id++, 48, 96);
            assertThat(ip(pieces.get(order[0]))).isEqualTo(DecapOutcome.IP_FRAGMENT);
            assertThat(ip(pieces.get(order[1]))).isEqualTo(DecapOutcome.IP_FRAGMENT);
            assertThat(ip(pieces.get(order[2]))).as("order %s", Arrays.toString(order))
                    .isEqualTo(DecapOutcome.TCP_REASSEMBLED);
            assertThat(DecapFixtures.payload(out)).isEqualTo(QUERY);
        }
    }

    @Test
    void mirrorCopiesInTwoVxlanSessionsGiveTheSegmentOnceAndLateCopiesAreDuplicates() {
        List<byte[]> pieces = Fragments.ipv4(ipv4Packet(QUERY), 7, 48, 96);
        List<DecapOutcome> outcomes = new ArrayList<>();
        List<Integer> deliveredVnis = new ArrayList<>();
        // Interleaved as two mirror sessions deliver them: source ENI copy (VNI 100), then destination ENI (200).
        for (byte[] piece : pieces) {
            for (int vni : new int[] {100, 200}) {
                byte[] frame = FrameBuilder.ethernetFrame(FrameBuilder.ethernet(FrameBuilder.ETHERTYPE_IPV4, piece))
                        .wrapVxlan(vni).build();
                DecapOutcome o = feedFrame(frame, LinkType.ETHERNET, SECOND);
                outcomes.add(o);
                if (o.delivered()) {
                    deliveredVnis.add(out.vni);
                    assertThat(DecapFixtures.payload(out)).isEqualTo(QUERY);
                }
            }
        }
        assertThat(outcomes).containsExactly(DecapOutcome.IP_FRAGMENT, DecapOutcome.FRAGMENT_DUPLICATE,
                DecapOutcome.IP_FRAGMENT, DecapOutcome.FRAGMENT_DUPLICATE,
                DecapOutcome.TCP_REASSEMBLED, DecapOutcome.FRAGMENT_DUPLICATE);
        assertThat(deliveredVnis).containsExactly(100);
        assertThat(decap.fragmentDatagrams()).isEqualTo(1); // lingers, to absorb late copies, until its timeout
        feed(FrameBuilder.ipv4("10.0.0.9", "10.0.0.2", 6, new byte[0]), 40 * SECOND);
        assertThat(decap.fragmentDatagrams()).isZero();
        assertThat(decap.fragmentBytes()).isZero();
        assertThat(decap.counters().get(DecapOutcome.FRAGMENT_TIMEOUT)).as("a completed datagram is no loss").isZero();
    }

    @Test
    void aConflictingOverlapIsCountedAndTheFirstCopyWins() {
        byte[] packet = ipv4Packet(QUERY);
        byte[] header = Arrays.copyOf(packet, 20);
        byte[] payload = Arrays.copyOfRange(packet, 20, packet.length);
        byte[] forged = Arrays.copyOfRange(payload, 40, 96);
        Arrays.fill(forged, 0, 8, (byte) 'X'); // bytes 40..48 rewritten: they overlap the first fragment [0, 48)
        assertThat(ip(Fragments.ipv4Piece(header, 9, 0, true, Arrays.copyOfRange(payload, 0, 48))))
                .isEqualTo(DecapOutcome.IP_FRAGMENT);
        assertThat(ip(Fragments.ipv4Piece(header, 9, 40, true, forged))).isEqualTo(DecapOutcome.IP_FRAGMENT);
        assertThat(decap.counters().get(DecapOutcome.FRAGMENT_OVERLAP_CONFLICT)).isEqualTo(1);
        assertThat(ip(Fragments.ipv4Piece(header, 9, 96, false, Arrays.copyOfRange(payload, 96, payload.length))))
                .isEqualTo(DecapOutcome.TCP_REASSEMBLED);
        assertThat(DecapFixtures.payload(out)).isEqualTo(QUERY);
    }

    @Test
    void anIncompleteDatagramTimesOutOnPacketTime() {
        List<byte[]> pieces = Fragments.ipv4(ipv4Packet(QUERY), 11, 48, 96);
        assertThat(feedAt(pieces.get(0), SECOND)).isEqualTo(DecapOutcome.IP_FRAGMENT);
        assertThat(feedAt(pieces.get(1), 20 * SECOND)).isEqualTo(DecapOutcome.IP_FRAGMENT);
        assertThat(decap.fragmentBytes()).isPositive();
        // 30 s after the first fragment, the datagram is given up, whatever packet comes next.
        feedAt(FrameBuilder.ipv4("10.0.0.9", "10.0.0.2", 6, new byte[0]), 31 * SECOND);
        assertThat(decap.counters().get(DecapOutcome.FRAGMENT_TIMEOUT)).isEqualTo(1);
        assertThat(decap.fragmentDatagrams()).isZero();
        assertThat(decap.fragmentBytes()).isZero();
        // The last piece now starts a new datagram that can never complete.
        assertThat(feedAt(pieces.get(2), 32 * SECOND)).isEqualTo(DecapOutcome.IP_FRAGMENT);
    }

    private DecapOutcome feedAt(byte[] ipPacket, long ts) {
        return feedFrame(FrameBuilder.ethernet(FrameBuilder.ETHERTYPE_IPV4, ipPacket), LinkType.ETHERNET, ts);
    }

    @Test
    void theTableIsBoundedInDatagramsAndBytes() {
        decap = new Decapsulator(DecapConfig.defaults(), new FragmentLimits(4, 1 << 20, 30 * SECOND));
        for (int id = 0; id < 10; id++) {
            assertThat(ip(Fragments.ipv4(ipv4Packet(QUERY), id, 48, 96).get(0))).isEqualTo(DecapOutcome.IP_FRAGMENT);
            assertThat(decap.fragmentDatagrams()).isLessThanOrEqualTo(4);
        }
        assertThat(decap.counters().get(DecapOutcome.FRAGMENT_EVICTED)).isEqualTo(6);

        decap = new Decapsulator(DecapConfig.defaults(), new FragmentLimits(1000, 100_000, 30 * SECOND));
        byte[] header = Arrays.copyOf(ipv4Packet(QUERY), 20);
        for (int id = 0; id < 10; id++) {
            // Each datagram announces ~60 KiB by sending its last fragment first.
            ip(Fragments.ipv4Piece(header, id, 60_000, false, new byte[8]));
            assertThat(decap.fragmentBytes()).isLessThanOrEqualTo(100_000);
        }
        assertThat(decap.counters().get(DecapOutcome.FRAGMENT_EVICTED)).isEqualTo(9);
    }

    @Test
    void hostileFragmentsAreRefusedAndCounted() {
        byte[] header = Arrays.copyOf(ipv4Packet(QUERY), 20);
        // Offset 65528 + 16 bytes: past the largest datagram an IP length field can describe.
        assertThat(ip(Fragments.ipv4Piece(header, 1, 65_528, false, new byte[16])))
                .isEqualTo(DecapOutcome.FRAGMENT_INVALID);
        // Two different ends for one datagram.
        assertThat(ip(Fragments.ipv4Piece(header, 2, 64, false, new byte[8]))).isEqualTo(DecapOutcome.IP_FRAGMENT);
        assertThat(ip(Fragments.ipv4Piece(header, 2, 80, false, new byte[8]))).isEqualTo(DecapOutcome.FRAGMENT_INVALID);
        // Data beyond the known end.
        assertThat(ip(Fragments.ipv4Piece(header, 2, 64, true, new byte[16]))).isEqualTo(DecapOutcome.FRAGMENT_INVALID);
        // A tiny-fragment flood: more separate pieces than the bound.
        int refused = 0;
        for (int i = 0; i < FragmentTable.MAX_RANGES + 5; i++) {
            if (ip(Fragments.ipv4Piece(header, 3, 16 * i, true, new byte[8])) == DecapOutcome.FRAGMENT_INVALID) {
                refused++;
            }
        }
        assertThat(refused).isEqualTo(5);
        // A fragment the capture cut short cannot be placed.
        byte[] piece = Fragments.ipv4(ipv4Packet(QUERY), 4, 48, 96).get(1);
        byte[] frame = FrameBuilder.ethernet(FrameBuilder.ETHERTYPE_IPV4, piece);
        assertThat(feedFrame(Arrays.copyOf(frame, frame.length - 10), LinkType.ETHERNET, SECOND))
                .isEqualTo(DecapOutcome.FRAGMENT_TRUNCATED);
    }

    @Test
    void ipv6FragmentsWithADestinationOptionsHeaderInTheFragmentablePart() {
        byte[] tcp = FrameBuilder.tcp(50000, 5432, 1000, 2000, FrameBuilder.DEFAULT_FLAGS, new byte[0],
                QUERY.getBytes(StandardCharsets.ISO_8859_1));
        byte[] destOptions = Hex.bytes("06 00 01 04 00 00 00 00"); // next TCP, length 8, PadN
        byte[] packet = FrameBuilder.ipv6("2001:db8::1", "2001:db8::2", 60, FrameBuilder.concat(destOptions, tcp));
        List<byte[]> pieces = Fragments.ipv6(packet, 0xABCDEF01L, 64);
        assertThat(ip6(pieces.get(1))).isEqualTo(DecapOutcome.IP_FRAGMENT);
        assertThat(ip6(pieces.get(0))).isEqualTo(DecapOutcome.TCP_REASSEMBLED);
        assertThat(DecapFixtures.payload(out)).isEqualTo(QUERY);
        assertThat(out.ipVersion).isEqualTo(6);
        assertThat(out.dstPort).isEqualTo(5432);
        assertThat(ip6(pieces.get(1))).as("a late copy").isEqualTo(DecapOutcome.FRAGMENT_DUPLICATE);
    }

    @Test
    void aReassembledDatagramMayNotHoldAnotherFragmentHeader() {
        byte[] innerFragment = Hex.bytes("06 00 00 01 00 00 00 09"); // next TCP, offset 0, M set, id 9
        byte[] packet = FrameBuilder.ipv6("2001:db8::1", "2001:db8::2", 44,
                FrameBuilder.concat(innerFragment, new byte[40]));
        List<byte[]> pieces = Fragments.ipv6(packet, 5, 24);
        assertThat(ip6(pieces.get(0))).isEqualTo(DecapOutcome.IP_FRAGMENT);
        assertThat(ip6(pieces.get(1))).isEqualTo(DecapOutcome.FRAGMENT_INVALID);
    }

    @Test
    void identificationReusedAfterCompletionStartsANewDatagram() {
        assertThat(ip(Fragments.ipv4(ipv4Packet(QUERY), 77, 48).get(0))).isEqualTo(DecapOutcome.IP_FRAGMENT);
        assertThat(ip(Fragments.ipv4(ipv4Packet(QUERY), 77, 48).get(1))).isEqualTo(DecapOutcome.TCP_REASSEMBLED);
        // The next segment of the connection (seq 1100), sent with the same identification within the timeout.
        byte[] next = FrameBuilder.ipv4("10.0.0.1", "10.0.0.2", FrameBuilder.IP_PROTO_TCP, FrameBuilder.tcp(50000,
                5432, 1100, 2000, FrameBuilder.DEFAULT_FLAGS, new byte[0], "SELECT 2;".getBytes(StandardCharsets.US_ASCII)));
        assertThat(ip(Fragments.ipv4(next, 77, 8).get(0))).isEqualTo(DecapOutcome.IP_FRAGMENT);
        assertThat(ip(Fragments.ipv4(next, 77, 8).get(1))).isEqualTo(DecapOutcome.TCP_REASSEMBLED);
        assertThat(DecapFixtures.payload(out)).isEqualTo("SELECT 2;");
        assertThat(out.seq).isEqualTo(1100);
    }

    @Test
    void unfragmentedPacketsAllocateNothingEvenWithDatagramsInTheTable() {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        ip(Fragments.ipv4(ipv4Packet(QUERY), 1, 48).get(0)); // an incomplete datagram waits in the table
        byte[] frame = FrameBuilder.ipv4Tcp("10.0.0.1", 50000, "10.0.0.2", 5432,
                QUERY.getBytes(StandardCharsets.ISO_8859_1)).wrapVxlan(5).build();
        for (int i = 0; i < 20_000; i++) { // warm-up
            decap.decode(frame, 0, frame.length, LinkType.ETHERNET, SECOND + i, out);
        }
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 20_000; i++) {
            decap.decode(frame, 0, frame.length, LinkType.ETHERNET, 2 * SECOND + i, out);
        }
        assertThat(threads.getThreadAllocatedBytes(tid) - before).isLessThan(16_384);
        assertThat(decap.fragmentDatagrams()).isEqualTo(1);
    }

    @Test
    void unfragmentedPacketsNeverTouchTheTable() {
        assertThat(ip(ipv4Packet(QUERY))).isEqualTo(DecapOutcome.TCP);
        assertThat(decap.fragmentDatagrams()).isZero();
        assertThat(decap.fragmentBytes()).isZero();
    }
}
