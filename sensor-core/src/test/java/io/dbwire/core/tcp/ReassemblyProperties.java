package io.dbwire.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.TcpConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Whole connections through the tracker: both directions cut into random segments, mixed into one random
 * arrival order with duplicates and overlapping re-sends. Structure comes from a {@link Random} seeded by the
 * (fixed-seed) property input, and every assertion names that seed.
 */
class ReassemblyProperties {
    private static final TcpConfig ROOMY = new TcpConfig(16, 1 << 20, 1L << 24, 600_000_000L);

    /** One direction's byte stream and how it is sent. */
    private static final class Side {
        final boolean fromClient;
        final long isn;
        final byte[] bytes;
        final List<int[]> cuts = new ArrayList<>(); // {offset, length} of the original segmentation
        final boolean[] dropped;

        Side(boolean fromClient, Random r) {
            this.fromClient = fromClient;
            // A third of the streams start just below 2^32 so they wrap around within the stream.
            this.isn = r.nextInt(3) == 0 ? (1L << 32) - 1 - r.nextInt(3000) : r.nextLong() & 0xFFFF_FFFFL;
            this.bytes = new byte[r.nextInt(4) == 0 ? r.nextInt(8) : r.nextInt(4000)];
            r.nextBytes(bytes);
            int maxSeg = r.nextBoolean() ? 8 : 400;
            for (int off = 0; off < bytes.length; ) {
                int len = Math.min(bytes.length - off, 1 + r.nextInt(maxSeg));
                cuts.add(new int[] {off, len});
                off += len;
            }
            dropped = new boolean[cuts.size()];
        }

        long seqAt(int offset) {
            return isn + 1 + offset;
        }
    }

    private record Send(Side side, int off, int len) {}

    @Property(tries = 400, seed = "20261126")
    void reorderedDuplicatedOverlappingSegmentsReassembleExactly(@ForAll long seed) {
        Random r = new Random(seed);
        Side client = new Side(true, r);
        Side server = new Side(false, r);
        List<Send> sends = new ArrayList<>();
        for (Side s : List.of(client, server)) {
            for (int[] c : s.cuts) {
                sends.add(new Send(s, c[0], c[1]));
                if (r.nextInt(10) == 0) {
                    sends.add(new Send(s, c[0], c[1])); // exact duplicate
                }
            }
            for (int i = 0; s.bytes.length > 0 && i < r.nextInt(12); i++) { // re-sends straddling the cuts
                int off = r.nextInt(s.bytes.length);
                sends.add(new Send(s, off, 1 + r.nextInt(Math.min(600, s.bytes.length - off))));
            }
        }
        Collections.shuffle(sends, r);

        Recorder rec = new Recorder(5432);
        TcpTracker tracker = new TcpTracker(ROOMY, rec);
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        long ts = 1_000_000;
        w.handshake(ts, client.isn, server.isn);
        for (Send s : sends) {
            // Each side acknowledges only the peer's SYN: no ACK may declare a hole lost here.
            Side peer = s.side == client ? server : client;
            w.send(s.side.fromClient, ++ts, Wire.ACK, s.side.seqAt(s.off), peer.seqAt(0), s.side.bytes, s.off, s.len, 0);
        }
        boolean clientFirst = r.nextBoolean();
        for (Side s : clientFirst ? List.of(client, server) : List.of(server, client)) {
            Side peer = s == client ? server : client;
            w.send(s.fromClient, ++ts, Wire.FIN | Wire.ACK, s.seqAt(s.bytes.length), peer.seqAt(peer.bytes.length));
        }

        Recorder.Conn c = rec.only();
        String why = "seed " + seed + " " + tracker.counters().nonZero() + " " + c.layout(Direction.CLIENT_TO_SERVER)
                + " / " + c.layout(Direction.SERVER_TO_CLIENT);
        assertThat(c.bytes(Direction.CLIENT_TO_SERVER)).as(why).isEqualTo(client.bytes);
        assertThat(c.bytes(Direction.SERVER_TO_CLIENT)).as(why).isEqualTo(server.bytes);
        assertThat(c.gapBytes).as(why).containsExactly(0, 0);
        assertThat(c.closeReason).as(why).isEqualTo(CloseReason.FIN);
        assertThat(c.closes).as(why).isEqualTo(1);
        assertThat(tracker.counters().get(TcpEvent.OVERLAP_CONFLICT)).as(why).isZero();
        assertThat(tracker.bufferedBytes()).as(why).isZero();
        assertThat(tracker.activeFlows()).as(why).isZero();
    }

    @Property(tries = 400, seed = "5432")
    void droppedSegmentsBecomeExactlyTheGapsOnceThePeerAcksPastThem(@ForAll long seed) {
        Random r = new Random(seed);
        Side client = new Side(true, r);
        Side server = new Side(false, r);
        List<Send> sends = new ArrayList<>();
        for (Side s : List.of(client, server)) {
            for (int i = 0; i < s.cuts.size(); i++) {
                int[] c = s.cuts.get(i);
                s.dropped[i] = r.nextInt(5) == 0;
                if (!s.dropped[i]) {
                    sends.add(new Send(s, c[0], c[1]));
                    if (r.nextInt(10) == 0) {
                        sends.add(new Send(s, c[0], c[1]));
                    }
                }
            }
        }
        Collections.shuffle(sends, r);

        Recorder rec = new Recorder(5432);
        TcpTracker tracker = new TcpTracker(ROOMY, rec);
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        long ts = 1_000_000;
        w.handshake(ts, client.isn, server.isn);
        for (Send s : sends) {
            Side peer = s.side == client ? server : client;
            w.send(s.side.fromClient, ++ts, Wire.ACK, s.side.seqAt(s.off), peer.seqAt(0), s.side.bytes, s.off, s.len, 0);
        }
        // The real endpoints received everything: each acknowledges the whole of the other's stream.
        w.send(false, ++ts, Wire.ACK, server.seqAt(server.bytes.length), client.seqAt(client.bytes.length));
        w.send(true, ++ts, Wire.ACK, client.seqAt(client.bytes.length), server.seqAt(server.bytes.length));
        boolean withFin = r.nextBoolean();
        if (withFin) {
            w.send(true, ++ts, Wire.FIN | Wire.ACK, client.seqAt(client.bytes.length), server.seqAt(server.bytes.length));
            w.send(false, ++ts, Wire.FIN | Wire.ACK, server.seqAt(server.bytes.length), client.seqAt(client.bytes.length));
            // Bytes before a FIN may only be late: the close waits out the reorder window (any later packet).
            ts += ROOMY.reorderWindowMicros();
            w.send(true, ts, Wire.ACK, client.seqAt(client.bytes.length) + 1, server.seqAt(server.bytes.length) + 1);
        } else {
            tracker.closeAll(++ts);
        }

        Recorder.Conn c = rec.only();
        String why = "seed " + seed;
        for (Side s : List.of(client, server)) {
            Direction d = s.fromClient ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT;
            assertThat(c.layout(d)).as(why).isEqualTo(expectedLayout(s));
            assertThat(c.bytes(d)).as(why).isEqualTo(keptBytes(s));
            long droppedBytes = 0;
            for (int i = 0; i < s.cuts.size(); i++) {
                droppedBytes += s.dropped[i] ? s.cuts.get(i)[1] : 0;
            }
            assertThat(c.gapBytes[d.ordinal()]).as(why).isEqualTo(droppedBytes);
        }
        assertThat(c.closeReason).as(why).isEqualTo(withFin ? CloseReason.FIN : CloseReason.END_OF_INPUT);
        assertThat(tracker.bufferedBytes()).as(why).isZero();
    }

    /** "D<n> G<n> ..." with adjacent kept segments merged and adjacent dropped segments merged. */
    private static String expectedLayout(Side s) {
        StringBuilder sb = new StringBuilder();
        char kind = 0;
        long run = 0;
        for (int i = 0; i < s.cuts.size(); i++) {
            char k = s.dropped[i] ? 'G' : 'D';
            if (k != kind && kind != 0) {
                sb.append(sb.length() == 0 ? "" : " ").append(kind).append(run);
                run = 0;
            }
            kind = k;
            run += s.cuts.get(i)[1];
        }
        if (kind != 0) {
            sb.append(sb.length() == 0 ? "" : " ").append(kind).append(run);
        }
        return sb.toString();
    }

    private static byte[] keptBytes(Side s) {
        byte[] out = new byte[s.bytes.length];
        int n = 0;
        for (int i = 0; i < s.cuts.size(); i++) {
            int[] c = s.cuts.get(i);
            if (!s.dropped[i]) {
                System.arraycopy(s.bytes, c[0], out, n, c[1]);
                n += c[1];
            }
        }
        return Arrays.copyOf(out, n);
    }
}
