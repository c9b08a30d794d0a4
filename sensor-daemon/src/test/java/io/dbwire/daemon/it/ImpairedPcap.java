package io.dbwire.daemon.it;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Rewrites a real Ethernet capture the way a messy mirror delivers it: every frame inside VXLAN twice (the
 * source ENI's session, VNI {@link #VNI_SOURCE}, and a copy from the destination ENI's session, VNI
 * {@link #VNI_DESTINATION}, a few frames later), neighbouring frames swapped, some frames sent twice in one
 * session, and large IPv4 packets split into two IP fragments (in both sessions). Nothing is lost, so the
 * records must be exactly those of the original capture. Seeded: the same seed gives the same file.
 */
final class ImpairedPcap {
    static final int VNI_SOURCE = 100;
    static final int VNI_DESTINATION = 200;

    private static final int GLOBAL_HEADER = 24;
    private static final int RECORD_HEADER = 16;
    private static final int OUTER = 14 + 20 + 8 + 8;
    private static final int FRAGMENT_ABOVE = 600;

    private record Frame(int seconds, int fraction, byte[] bytes) {}

    private record Placed(long key, Frame frame) {}

    private ImpairedPcap() {}

    /** Counts of what was done, for the test's own sanity checks. */
    record Stats(int frames, int swapped, int duplicated, int fragmented) {}

    static Stats impair(Path source, Path target, long seed) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(source));
        int magic = in.getInt(0);
        in.order(magic == 0xA1B2C3D4 || magic == 0xA1B23C4D ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        if (in.getInt(20) != 1) {
            throw new IOException(source + ": link type " + in.getInt(20) + " (expected: 1, Ethernet)");
        }
        Random r = new Random(seed);
        List<Placed> out = new ArrayList<>();
        int pos = GLOBAL_HEADER;
        int swapped = 0;
        int duplicated = 0;
        int fragmented = 0;
        long i = 0;
        while (pos + RECORD_HEADER <= in.capacity()) {
            int captured = in.getInt(pos + 8);
            Frame f = new Frame(in.getInt(pos), in.getInt(pos + 4),
                    Arrays.copyOfRange(in.array(), pos + RECORD_HEADER, pos + RECORD_HEADER + captured));
            pos += RECORD_HEADER + captured;
            List<byte[]> pieces = fragment(f.bytes());
            fragmented += pieces.size() > 1 ? 1 : 0;
            // Keys: original i*100; a swap moves a frame just behind the next original; copies trail by 1-3 frames.
            boolean swap = r.nextInt(10) == 0;
            swapped += swap ? 1 : 0;
            long key = i * 100 + (swap ? 150 : 0);
            long copyKey = i * 100 + 50 + r.nextInt(250);
            for (int k = 0; k < pieces.size(); k++) {
                out.add(new Placed(key + k, new Frame(f.seconds(), f.fraction(), vxlan(pieces.get(k), VNI_SOURCE, i))));
                out.add(new Placed(copyKey + k,
                        new Frame(f.seconds(), f.fraction(), vxlan(pieces.get(k), VNI_DESTINATION, i))));
            }
            if (r.nextInt(33) == 0) { // an exact duplicate inside one session
                duplicated++;
                out.add(new Placed(key + 20, new Frame(f.seconds(), f.fraction(), vxlan(f.bytes(), VNI_SOURCE, i))));
            }
            i++;
        }
        out.sort(Comparator.comparingLong(Placed::key));
        write(target, in, out);
        return new Stats((int) i, swapped, duplicated, fragmented);
    }

    /** An Ethernet/IPv4 frame with a large payload becomes two IP fragments; anything else stays whole. */
    private static List<byte[]> fragment(byte[] frame) {
        if (frame.length < 14 + 20 || (frame[12] & 0xFF) != 0x08 || frame[13] != 0x00) {
            return List.of(frame);
        }
        int ihl = (frame[14] & 0x0F) * 4;
        int total = ((frame[16] & 0xFF) << 8) | (frame[17] & 0xFF);
        if (total <= FRAGMENT_ABOVE || 14 + total > frame.length || ((frame[20] & 0x3F) | frame[21]) != 0) {
            return List.of(frame);
        }
        int payload = total - ihl;
        int cut = (payload / 2) & ~7;
        return List.of(piece(frame, ihl, 0, cut, true), piece(frame, ihl, cut, payload - cut, false));
    }

    private static byte[] piece(byte[] frame, int ihl, int offset, int length, boolean more) {
        byte[] p = new byte[14 + ihl + length];
        System.arraycopy(frame, 0, p, 0, 14 + ihl);
        System.arraycopy(frame, 14 + ihl + offset, p, 14 + ihl, length);
        int total = ihl + length;
        p[16] = (byte) (total >>> 8);
        p[17] = (byte) total;
        int field = (more ? 0x2000 : 0) | (offset / 8); // DF cleared: the path fragmented it
        p[20] = (byte) (field >>> 8);
        p[21] = (byte) field;
        return p;
    }

    /** Ethernet / IPv4 / UDP 4789 / VXLAN(vni) around {@code inner}; outer headers differ per session. */
    private static byte[] vxlan(byte[] inner, int vni, long ident) {
        ByteBuffer b = ByteBuffer.allocate(OUTER + inner.length).order(ByteOrder.BIG_ENDIAN);
        int session = vni == VNI_SOURCE ? 5 : 6;
        b.put(new byte[] {0x0a, 0, 0, 0, 0, 9, 0x0a, 0, 0, 0, 0, (byte) session}).putShort((short) 0x0800);
        int udpLength = 8 + 8 + inner.length;
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + udpLength)).putShort((short) ident)
                .putShort((short) 0x4000).put((byte) 64).put((byte) 17).putShort((short) 0)
                .put(new byte[] {10, 0, 0, (byte) session}).put(new byte[] {10, 0, 0, 9});
        b.putShort((short) (49152 + (ident % 16384))).putShort((short) 4789).putShort((short) udpLength)
                .putShort((short) 0);
        b.put((byte) 0x08).put(new byte[3]).putInt(vni << 8);
        b.put(inner);
        return b.array();
    }

    private static void write(Path target, ByteBuffer in, List<Placed> frames) throws IOException {
        int size = GLOBAL_HEADER;
        for (Placed p : frames) {
            size += RECORD_HEADER + p.frame().bytes().length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).order(in.order());
        out.put(in.array(), 0, GLOBAL_HEADER);
        out.putInt(16, 65535 + OUTER);
        for (Placed p : frames) {
            Frame f = p.frame();
            out.putInt(f.seconds()).putInt(f.fraction()).putInt(f.bytes().length).putInt(f.bytes().length);
            out.put(f.bytes());
        }
        Files.write(target, out.array());
    }
}
