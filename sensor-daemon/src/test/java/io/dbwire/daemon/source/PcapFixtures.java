package io.dbwire.daemon.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Capture files written by hand, byte by byte, so tests need no capture tool.
 * Formats: pcap (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html) and
 * pcapng (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html), both little-endian here.
 */
public final class PcapFixtures {
    public static final int LINKTYPE_ETHERNET = 1;
    public static final int LINKTYPE_RAW = 101;

    /** One packet: its time as whole seconds plus a fraction in the file's resolution, and its bytes. */
    public record Packet(long seconds, long fraction, byte[] data) {}

    private PcapFixtures() {}

    /** A classic pcap file; {@code nanos} selects the nanosecond magic a1b23c4d instead of a1b2c3d4. */
    public static Path pcap(Path file, int linkType, boolean nanos, List<Packet> packets) throws IOException {
        ByteBuffer b = le(24 + packets.stream().mapToInt(p -> 16 + p.data().length).sum());
        b.putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4); // magic: byte order and time resolution
        b.putShort((short) 2).putShort((short) 4); // version 2.4
        b.putInt(0).putInt(0);                     // reserved (thiszone, sigfigs)
        b.putInt(65_535);                          // snaplen
        b.putInt(linkType);                        // LINKTYPE_*
        for (Packet p : packets) {
            b.putInt((int) p.seconds());           // ts_sec
            b.putInt((int) p.fraction());          // ts_usec or ts_nsec
            b.putInt(p.data().length);             // caplen
            b.putInt(p.data().length);             // original length
            b.put(p.data());
        }
        return Files.write(file, b.array());
    }

    /** A pcapng file: one section, one Ethernet interface with {@code if_tsresol} = 10^-9, Enhanced Packet Blocks. */
    public static Path pcapngNanos(Path file, List<Packet> packets) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // Section Header Block: type, length, byte-order magic, version 1.0, section length unknown (-1).
        ByteBuffer shb = le(28);
        shb.putInt(0x0A0D0D0A).putInt(28).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1L).putInt(28);
        out.write(shb.array());
        // Interface Description Block: link type, reserved, snaplen, option if_tsresol (code 9, len 1, value 9 =
        // 10^-9 s, padded to 4), opt_endofopt.
        ByteBuffer idb = le(32);
        idb.putInt(0x00000001).putInt(32).putShort((short) LINKTYPE_ETHERNET).putShort((short) 0).putInt(65_535);
        idb.putShort((short) 9).putShort((short) 1).put((byte) 9).put(new byte[3]);
        idb.putShort((short) 0).putShort((short) 0);
        idb.putInt(32);
        out.write(idb.array());
        for (Packet p : packets) {
            int padded = (p.data().length + 3) & ~3;
            int len = 32 + padded;
            long ts = p.seconds() * 1_000_000_000L + p.fraction(); // in if_tsresol units
            // Enhanced Packet Block: interface 0, timestamp high/low, captured and original length, data, padding.
            ByteBuffer epb = le(len);
            epb.putInt(0x00000006).putInt(len).putInt(0).putInt((int) (ts >>> 32)).putInt((int) ts);
            epb.putInt(p.data().length).putInt(p.data().length).put(p.data()).put(new byte[padded - p.data().length]);
            epb.putInt(len);
            out.write(epb.array());
        }
        return Files.write(file, out.toByteArray());
    }

    /** {@code n} distinct frames of {@code size} bytes: byte 0 is the index so order can be checked. */
    public static byte[] frame(int index, int size) {
        byte[] f = new byte[size];
        f[0] = (byte) index;
        return f;
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
