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
 * Rewrites a real Ethernet capture the way a lossy mirror delivers it: payload-carrying TCP packets removed at
 * random (the mirror dropped them; the real peers never noticed), and some packets delivered a little late, as
 * through a load balancer (each delayed packet gets its later arrival time, so the file stays in time order).
 * Control packets (SYN, FIN, pure ACKs) are kept: the figures are about payload loss. Seeded: the same seed gives
 * the same file.
 */
final class LossyPcap {
    private static final int GLOBAL_HEADER = 24;
    private static final int RECORD_HEADER = 16;

    /** How the capture is impaired. */
    record Impairment(double lossRate, double reorderRate, long maxDelayMicros, long seed) {
        @Override
        public String toString() {
            return String.format("loss=%.1f%% reorder=%.0f%%(<=%dus) seed=%d", lossRate * 100, reorderRate * 100,
                    maxDelayMicros, seed);
        }
    }

    /**
     * What was done: frames in, payload frames among them, payload frames removed, frames delayed, and the removed
     * frames themselves (for telling what the loss cost, {@link LossCauses}).
     */
    record Stats(int frames, int payloadFrames, int dropped, int delayed, List<Dropped> droppedFrames) {}

    /** A removed frame with its original capture time. */
    record Dropped(long tsMicros, byte[] bytes) {}

    private record Frame(long tsMicros, int index, byte[] bytes) {}

    private LossyPcap() {}

    static Stats impair(Path source, Path target, Impairment how) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(source));
        int magic = in.getInt(0);
        in.order(magic == 0xA1B2C3D4 || magic == 0xA1B23C4D ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        boolean nanos = magic == 0x4D3CB2A1 || magic == 0xA1B23C4D;
        if (in.getInt(20) != 1) {
            throw new IOException(source + ": link type " + in.getInt(20) + " (expected: 1, Ethernet)");
        }
        Random r = new Random(how.seed());
        List<Frame> out = new ArrayList<>();
        int pos = GLOBAL_HEADER;
        int frames = 0;
        int payloadFrames = 0;
        int dropped = 0;
        int delayed = 0;
        List<Dropped> removed = new ArrayList<>();
        while (pos + RECORD_HEADER <= in.capacity()) {
            long seconds = in.getInt(pos) & 0xFFFF_FFFFL;
            long fraction = in.getInt(pos + 4) & 0xFFFF_FFFFL;
            int captured = in.getInt(pos + 8);
            byte[] bytes = Arrays.copyOfRange(in.array(), pos + RECORD_HEADER, pos + RECORD_HEADER + captured);
            pos += RECORD_HEADER + captured;
            long ts = seconds * 1_000_000L + (nanos ? fraction / 1000 : fraction);
            frames++;
            boolean payload = tcpPayload(bytes) > 0;
            if (payload) {
                payloadFrames++;
                if (r.nextDouble() < how.lossRate()) {
                    dropped++;
                    removed.add(new Dropped(ts, bytes));
                    continue;
                }
            }
            if (how.maxDelayMicros() > 0 && r.nextDouble() < how.reorderRate()) {
                delayed++;
                ts += 1 + (long) (r.nextDouble() * how.maxDelayMicros());
            }
            out.add(new Frame(ts, frames, bytes));
        }
        out.sort(Comparator.comparingLong(Frame::tsMicros).thenComparingInt(Frame::index));
        write(target, in, out);
        return new Stats(frames, payloadFrames, dropped, delayed, removed);
    }

    /** TCP payload bytes of an Ethernet/IPv4 or IPv6 frame, 0 for anything else. */
    static int tcpPayload(byte[] f) {
        if (f.length < 14) {
            return 0;
        }
        int type = ((f[12] & 0xFF) << 8) | (f[13] & 0xFF);
        if (type == 0x0800 && f.length >= 14 + 20) {
            int ihl = (f[14] & 0x0F) * 4;
            int total = ((f[16] & 0xFF) << 8) | (f[17] & 0xFF);
            if (f[23] != 6 || f.length < 14 + ihl + 13) {
                return 0;
            }
            int tcp = ((f[14 + ihl + 12] & 0xF0) >>> 4) * 4;
            return Math.max(0, total - ihl - tcp);
        }
        if (type == 0x86DD && f.length >= 14 + 40 + 13) {
            int payloadLength = ((f[18] & 0xFF) << 8) | (f[19] & 0xFF);
            if (f[20] != 6) {
                return 0;
            }
            int tcp = ((f[14 + 40 + 12] & 0xF0) >>> 4) * 4;
            return Math.max(0, payloadLength - tcp);
        }
        return 0;
    }

    private static void write(Path target, ByteBuffer in, List<Frame> frames) throws IOException {
        int size = GLOBAL_HEADER;
        for (Frame f : frames) {
            size += RECORD_HEADER + f.bytes().length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).order(in.order());
        out.put(in.array(), 0, GLOBAL_HEADER);
        out.putInt(0, 0xA1B2C3D4); // microsecond timestamps, in the source's byte order
        for (Frame f : frames) {
            out.putInt((int) (f.tsMicros() / 1_000_000L)).putInt((int) (f.tsMicros() % 1_000_000L))
                    .putInt(f.bytes().length).putInt(f.bytes().length);
            out.put(f.bytes());
        }
        Files.write(target, out.array());
    }
}
