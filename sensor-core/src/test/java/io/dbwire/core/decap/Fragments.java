package io.dbwire.core.decap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts IP packets into fragments the way a router would (RFC 791 section 3.2, RFC 8200 section 4.5), for tests.
 * Cut points are byte offsets into the IP payload; all but the last piece must be multiples of 8.
 */
final class Fragments {
    private Fragments() {}

    /** IPv4 packet (header 20 bytes) cut at {@code cuts}; each piece gets the header with MF/offset and length set. */
    static List<byte[]> ipv4(byte[] packet, int id, int... cuts) {
        byte[] header = Arrays.copyOf(packet, 20);
        byte[] payload = Arrays.copyOfRange(packet, 20, packet.length);
        List<byte[]> out = new ArrayList<>();
        for (int[] piece : pieces(payload.length, cuts)) {
            out.add(ipv4Piece(header, id, piece[0], piece[0] + piece[1] < payload.length,
                    Arrays.copyOfRange(payload, piece[0], piece[0] + piece[1])));
        }
        return out;
    }

    /** One IPv4 fragment with any data (for overlaps and hostile shapes). */
    static byte[] ipv4Piece(byte[] header20, int id, int offset, boolean more, byte[] data) {
        byte[] h = header20.clone();
        int total = 20 + data.length;
        h[2] = (byte) (total >>> 8);
        h[3] = (byte) total;
        h[4] = (byte) (id >>> 8);
        h[5] = (byte) id;
        int field = (more ? 0x2000 : 0) | (offset / 8);
        h[6] = (byte) (field >>> 8);
        h[7] = (byte) field;
        return FrameBuilder.concat(h, data);
    }

    /**
     * IPv6 packet (fixed header 40 bytes, next header {@code packet[6]}) cut at {@code cuts}: the fixed header is
     * the unfragmentable part, everything after it (extension headers included) the fragmentable part.
     */
    static List<byte[]> ipv6(byte[] packet, long id, int... cuts) {
        byte[] fixed = Arrays.copyOf(packet, 40);
        int next = packet[6] & 0xFF;
        byte[] payload = Arrays.copyOfRange(packet, 40, packet.length);
        List<byte[]> out = new ArrayList<>();
        for (int[] piece : pieces(payload.length, cuts)) {
            byte[] h = fixed.clone();
            int length = 8 + piece[1];
            h[4] = (byte) (length >>> 8);
            h[5] = (byte) length;
            h[6] = 44; // fragment header follows
            int field = piece[0] | (piece[0] + piece[1] < payload.length ? 1 : 0);
            byte[] fragment = {(byte) next, 0, (byte) (field >>> 8), (byte) field,
                (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
            out.add(FrameBuilder.concat(h, fragment, Arrays.copyOfRange(payload, piece[0], piece[0] + piece[1])));
        }
        return out;
    }

    private static List<int[]> pieces(int length, int... cuts) {
        List<int[]> out = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            out.add(new int[] {from, cut - from});
            from = cut;
        }
        out.add(new int[] {from, length - from});
        return out;
    }
}
