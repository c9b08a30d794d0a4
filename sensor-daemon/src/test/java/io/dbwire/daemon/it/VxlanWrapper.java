package io.dbwire.daemon.it;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rewrites a classic Ethernet pcap so that every frame travels inside Ethernet/IPv4/UDP 4789/VXLAN, as AWS
 * VPC Traffic Mirroring delivers it (the same transformation as testdata/vxlan-wrap.py).
 */
final class VxlanWrapper {
    private static final int GLOBAL_HEADER = 24;
    private static final int RECORD_HEADER = 16;
    private static final int OVERHEAD = 14 + 20 + 8 + 8;

    private VxlanWrapper() {}

    static void wrap(Path source, Path target, int vni) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(source));
        int magic = in.getInt(0);
        in.order(magic == 0xA1B2C3D4 || magic == 0xA1B23C4D ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        if (in.getInt(20) != 1) {
            throw new IOException(source + ": link type " + in.getInt(20) + " (expected: 1, Ethernet)");
        }
        ByteBuffer out = ByteBuffer.allocate(in.capacity() * 2 + 1024).order(in.order());
        out.put(in.array(), 0, GLOBAL_HEADER);
        out.putInt(16, 65535 + OVERHEAD);
        int pos = GLOBAL_HEADER;
        int ident = 0;
        while (pos + RECORD_HEADER <= in.capacity()) {
            int seconds = in.getInt(pos);
            int fraction = in.getInt(pos + 4);
            int captured = in.getInt(pos + 8);
            int original = in.getInt(pos + 12);
            out.putInt(seconds).putInt(fraction).putInt(captured + OVERHEAD).putInt(original + OVERHEAD);
            writeOuterHeaders(out, captured, vni, ++ident);
            out.put(in.array(), pos + RECORD_HEADER, captured);
            pos += RECORD_HEADER + captured;
        }
        Files.write(target, java.util.Arrays.copyOf(out.array(), out.position()));
    }

    private static void writeOuterHeaders(ByteBuffer out, int innerLength, int vni, int ident) {
        ByteBuffer b = out.duplicate().order(ByteOrder.BIG_ENDIAN);
        int start = out.position();
        b.position(start);
        b.put(new byte[] {0x0a, 0, 0, 0, 0, 9, 0x0a, 0, 0, 0, 0, 5}).putShort((short) 0x0800); // Ethernet
        int udpLength = 8 + 8 + innerLength;
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + udpLength)).putShort((short) ident)
                .putShort((short) 0x4000).put((byte) 64).put((byte) 17).putShort((short) 0)
                .put(new byte[] {10, 0, 0, 5}).put(new byte[] {10, 0, 0, 9}); // IPv4, checksum left 0
        b.putShort((short) (49152 + ident % 16384)).putShort((short) 4789).putShort((short) udpLength)
                .putShort((short) 0); // UDP
        b.put((byte) 0x08).put(new byte[3]).putInt(vni << 8); // VXLAN: I flag, VNI, reserved
        out.position(start + OVERHEAD);
    }
}
