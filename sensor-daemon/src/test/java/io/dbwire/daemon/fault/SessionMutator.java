package io.dbwire.daemon.fault;

import io.dbwire.core.config.DecapConfig;
import io.dbwire.core.decap.Decapsulator;
import io.dbwire.core.decap.DecodedPacket;
import io.dbwire.core.decap.LinkType;
import io.dbwire.daemon.fault.CapturedSessions.Frame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Damages a whole captured session the ways a mirror, a network or an attacker can: bytes (flips, inserts,
 * deletes), protocol length fields (0, all ones, random), packets (drop, duplicate, reorder, cut the capture short,
 * cut a frame short), TCP sequence jumps, and VXLAN nesting. Frames are Ethernet; every change is on a copy.
 */
final class SessionMutator {
    enum Kind {
        BIT_FLIP(true), BYTE_INSERT(true), BYTE_DELETE(true), LENGTH_ZERO(true), LENGTH_MAX(true),
        LENGTH_RANDOM(true), FRAME_TRUNCATE(true), DROP(false), DUPLICATE(false), REORDER(false),
        SESSION_TRUNCATE(false), SEQUENCE_JUMP(false), TUNNEL_NESTING(false);

        /** Whether the kind rewrites bytes inside a message (a statement's quoting may then change). */
        final boolean rewritesBytes;

        Kind(boolean rewritesBytes) {
            this.rewritesBytes = rewritesBytes;
        }
    }

    private final SplittableRandom random;
    private final String protocol;
    private final Decapsulator decap = new Decapsulator(DecapConfig.defaults());
    private final DecodedPacket packet = new DecodedPacket();

    SessionMutator(SplittableRandom random, String protocol) {
        this.random = random;
        this.protocol = protocol;
    }

    /** {@code frames} changed in place (the list; every changed frame is a new array). */
    void apply(Kind kind, List<Frame> frames) {
        if (frames.isEmpty()) {
            return;
        }
        switch (kind) {
            case BIT_FLIP:
                for (int n = 1 + random.nextInt(8); n > 0; n--) {
                    int i = anyFrame(frames, true);
                    byte[] b = frames.get(i).bytes().clone();
                    int at = position(b, true);
                    b[at] ^= (byte) (1 << random.nextInt(8));
                    frames.set(i, new Frame(b, frames.get(i).tsMicros()));
                }
                break;
            case BYTE_INSERT:
            case BYTE_DELETE:
                resize(frames, kind == Kind.BYTE_INSERT);
                break;
            case LENGTH_ZERO:
            case LENGTH_MAX:
            case LENGTH_RANDOM:
                lengthField(frames, kind);
                break;
            case FRAME_TRUNCATE: {
                int i = anyFrame(frames, true);
                byte[] b = frames.get(i).bytes();
                frames.set(i, new Frame(java.util.Arrays.copyOf(b, random.nextInt(b.length)), frames.get(i).tsMicros()));
                break;
            }
            case DROP:
                for (int n = 1 + random.nextInt(Math.max(1, frames.size() / 20)); n > 0 && !frames.isEmpty(); n--) {
                    frames.remove(random.nextInt(frames.size()));
                }
                break;
            case DUPLICATE:
                for (int n = 1 + random.nextInt(Math.max(1, frames.size() / 20)); n > 0; n--) {
                    int i = random.nextInt(frames.size());
                    frames.add(Math.min(frames.size(), i + random.nextInt(4)), frames.get(i));
                }
                break;
            case REORDER:
                for (int n = 1 + random.nextInt(Math.max(1, frames.size() / 10)); n > 0; n--) {
                    int i = random.nextInt(frames.size());
                    Collections.swap(frames, i, Math.min(frames.size() - 1, i + 1 + random.nextInt(5)));
                }
                break;
            case SESSION_TRUNCATE: {
                int cut = random.nextInt(frames.size());
                List<Frame> kept = random.nextBoolean() ? new ArrayList<>(frames.subList(0, cut))
                        : new ArrayList<>(frames.subList(cut, frames.size())); // the end only: a mid-stream start
                frames.clear();
                frames.addAll(kept);
                break;
            }
            case SEQUENCE_JUMP:
                sequenceJump(frames);
                break;
            case TUNNEL_NESTING:
                nest(frames);
                break;
            default:
                throw new AssertionError(kind);
        }
    }

    /** A frame, preferring those that carry TCP payload when {@code payload} (most damage matters there). */
    private int anyFrame(List<Frame> frames, boolean payload) {
        for (int attempt = 0; payload && attempt < 20; attempt++) {
            int i = random.nextInt(frames.size());
            if (decode(frames.get(i).bytes()) && packet.payloadLength > 0) {
                return i;
            }
        }
        return random.nextInt(frames.size());
    }

    /** A byte position, inside the TCP payload three times out of four when there is one. */
    private int position(byte[] b, boolean preferPayload) {
        if (b.length == 0) {
            return 0;
        }
        if (preferPayload && random.nextInt(4) > 0 && decode(b) && packet.payloadLength > 0) {
            return packet.payloadOffset + random.nextInt(packet.payloadLength);
        }
        return random.nextInt(b.length);
    }

    private void resize(List<Frame> frames, boolean insert) {
        int i = anyFrame(frames, true);
        byte[] b = frames.get(i).bytes();
        if (b.length == 0) {
            return;
        }
        int at = position(b, true);
        int n = 1 + random.nextInt(16);
        byte[] out;
        if (insert) {
            out = new byte[b.length + n];
            System.arraycopy(b, 0, out, 0, at);
            for (int k = 0; k < n; k++) {
                out[at + k] = (byte) random.nextInt(256);
            }
            System.arraycopy(b, at, out, at + n, b.length - at);
        } else {
            n = Math.min(n, b.length - at);
            out = new byte[b.length - n];
            System.arraycopy(b, 0, out, 0, at);
            System.arraycopy(b, at + n, out, at, b.length - at - n);
        }
        frames.set(i, new Frame(out, frames.get(i).tsMicros()));
    }

    /**
     * One length field of a message in a payload: a TLS record's (2 bytes at +3) or handshake's (3 at +6) when the
     * payload is a TLS record, else PostgreSQL's (4 after the type byte; the startup's at 0) or MySQL's (3, at 0).
     */
    private void lengthField(List<Frame> frames, Kind kind) {
        int i = anyFrame(frames, true);
        byte[] b = frames.get(i).bytes().clone();
        if (!decode(b) || packet.payloadLength < 5) {
            return;
        }
        List<int[]> fields = fields(b, packet.payloadOffset, packet.payloadLength); // {offset, width, bigEndian}
        int[] f = fields.get(random.nextInt(fields.size()));
        long value = kind == Kind.LENGTH_ZERO ? 0 : kind == Kind.LENGTH_MAX ? -1L : random.nextLong();
        for (int k = 0; k < f[1] && f[0] + k < b.length; k++) {
            int shift = 8 * (f[2] == 1 ? f[1] - 1 - k : k);
            b[f[0] + k] = (byte) (value >>> shift);
        }
        frames.set(i, new Frame(b, frames.get(i).tsMicros()));
    }

    private List<int[]> fields(byte[] b, int start, int length) {
        List<int[]> out = new ArrayList<>();
        int end = start + length;
        if (b[start] >= 20 && b[start] <= 23 && b[start + 1] == 3) {
            for (int at = start; at + 5 <= end; at += 5 + ((b[at + 3] & 0xFF) << 8 | b[at + 4] & 0xFF)) {
                out.add(new int[] {at + 3, 2, 1});
                if (b[at] == 22 && at + 9 <= end) {
                    out.add(new int[] {at + 6, 3, 1});
                }
            }
        } else if ("postgres".equals(protocol)) {
            out.add(new int[] {start, 4, 1}); // a startup packet's length, or the first message's type + 3 bytes
            for (int at = start; at + 5 <= end; ) {
                out.add(new int[] {at + 1, 4, 1});
                int len = ByteBuffer.wrap(b, at + 1, 4).getInt();
                if (len < 4 || len > end - at) {
                    break;
                }
                at += 1 + len;
            }
        } else {
            for (int at = start; at + 4 <= end; at += 4 + ((b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16)) {
                out.add(new int[] {at, 3, 0});
            }
        }
        return out;
    }

    /** Adds one delta to the sequence number of every later segment of one direction. */
    private void sequenceJump(List<Frame> frames) {
        int from = random.nextInt(frames.size());
        if (!decode(frames.get(from).bytes())) {
            return;
        }
        int srcPort = packet.srcPort;
        long[] deltas = {1, 1_460, 65_536, 1L << 31, random.nextLong() & 0xFFFF_FFFFL};
        long delta = deltas[random.nextInt(deltas.length)];
        for (int i = from; i < frames.size(); i++) {
            byte[] b = frames.get(i).bytes();
            if (!decode(b) || packet.srcPort != srcPort) {
                continue;
            }
            int tcp = tcpHeader(b);
            if (tcp < 0) {
                continue;
            }
            byte[] out = b.clone();
            ByteBuffer.wrap(out).putInt(tcp + 4, (int) (packet.seq + delta));
            frames.set(i, new Frame(out, frames.get(i).tsMicros()));
        }
    }

    /** The TCP header's offset: ports, sequence number and header length must agree with the decoded packet. */
    private int tcpHeader(byte[] b) {
        if (packet.data != b) {
            return -1; // reassembled from fragments: no header of its own in this frame
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        for (int t = packet.payloadOffset - 20; t >= Math.max(0, packet.payloadOffset - 60); t--) {
            if ((buf.getShort(t) & 0xFFFF) == packet.srcPort && (buf.getShort(t + 2) & 0xFFFF) == packet.dstPort
                    && (buf.getInt(t + 4) & 0xFFFF_FFFFL) == packet.seq
                    && ((b[t + 12] & 0xF0) >>> 2) == packet.payloadOffset - t) {
                return t;
            }
        }
        return -1;
    }

    /** Every frame inside 1 to 200 levels of Ethernet/IPv4/UDP 4789/VXLAN (the decapsulator allows 2). */
    private void nest(List<Frame> frames) {
        int[] depths = {1, 1, 2, 3, 8, 32};
        int depth = frames.size() <= 300 && random.nextInt(10) == 0 ? 50 + random.nextInt(151)
                : depths[random.nextInt(depths.length)];
        int vni = random.nextInt(1 << 24);
        for (int i = 0; i < frames.size(); i++) {
            byte[] b = frames.get(i).bytes();
            for (int d = 0; d < depth; d++) {
                b = vxlan(b, vni);
            }
            frames.set(i, new Frame(b, frames.get(i).tsMicros()));
        }
    }

    /** Ethernet (14) / IPv4 (20, no options) / UDP (8) to port 4789 / VXLAN (8, flag I) / {@code inner}. */
    static byte[] vxlan(byte[] inner, int vni) {
        int ipLength = 20 + 8 + 8 + inner.length;
        ByteBuffer out = ByteBuffer.allocate(14 + ipLength);
        out.put(new byte[] {2, 0, 0, 0, 0, 9, 2, 0, 0, 0, 0, 5}).putShort((short) 0x0800);
        out.put((byte) 0x45).put((byte) 0).putShort((short) Math.min(ipLength, 0xFFFF)).putInt(0)
                .put((byte) 64).put((byte) 17).putShort((short) 0)
                .put(new byte[] {10, 0, 0, 5}).put(new byte[] {10, 0, 0, 9});
        out.putShort((short) 49152).putShort((short) 4789).putShort((short) Math.min(8 + 8 + inner.length, 0xFFFF))
                .putShort((short) 0);
        out.put((byte) 0x08).put(new byte[3]).put((byte) (vni >>> 16)).put((byte) (vni >>> 8)).put((byte) vni)
                .put((byte) 0);
        out.put(inner);
        return out.array();
    }

    private boolean decode(byte[] b) {
        packet.reset();
        return decap.decode(b, 0, b.length, LinkType.ETHERNET, 0L, packet);
    }
}
