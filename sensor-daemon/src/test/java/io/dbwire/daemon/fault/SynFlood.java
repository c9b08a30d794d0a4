package io.dbwire.daemon.fault;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A classic pcap (Ethernet, microseconds, little-endian) of SYN-only flows: each from its own client address and
 * port to 10.0.0.1:5432, one packet each, 1 ms apart in packet time. Written as a stream, so a million flows cost
 * no heap in the test.
 */
public final class SynFlood {
    private static final int FRAME_BYTES = 14 + 20 + 20;
    private static final long START_SECONDS = 1_764_547_200L; // 2025-12-01T00:00:00Z

    private SynFlood() {}

    public static Path write(Path file, int flows) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            le32(out, 0xA1B2C3D4);
            le16(out, 2);
            le16(out, 4);
            le32(out, 0);
            le32(out, 0);
            le32(out, 65_535);
            le32(out, 1); // LINKTYPE_ETHERNET
            byte[] frame = new byte[FRAME_BYTES];
            for (int i = 0; i < flows; i++) {
                long micros = i * 1_000L;
                le32(out, (int) (START_SECONDS + micros / 1_000_000));
                le32(out, (int) (micros % 1_000_000));
                le32(out, FRAME_BYTES);
                le32(out, FRAME_BYTES);
                out.write(synFrame(frame, i));
            }
        }
        return file;
    }

    /** The Ethernet frame of flow {@code i}'s SYN. */
    public static byte[] frame(int i) {
        return synFrame(new byte[FRAME_BYTES], i);
    }

    private static byte[] synFrame(byte[] f, int i) {
        java.util.Arrays.fill(f, (byte) 0);
        f[0] = 2;
        f[5] = 2;  // destination MAC 02:00:00:00:00:02
        f[6] = 2;
        f[11] = 1; // source MAC 02:00:00:00:00:01
        f[12] = 0x08; // IPv4
        int ip = 14;
        f[ip] = 0x45;
        f[ip + 3] = 40; // total length
        f[ip + 8] = 64; // TTL
        f[ip + 9] = 6;  // TCP
        int client = i / 50_000; // 50 000 ports per client address
        f[ip + 12] = 10;
        f[ip + 13] = 1;
        f[ip + 14] = (byte) (client >>> 8);
        f[ip + 15] = (byte) client;
        f[ip + 16] = 10;
        f[ip + 19] = 1; // 10.0.0.1
        int checksum = ipv4Checksum(f, ip);
        f[ip + 10] = (byte) (checksum >>> 8);
        f[ip + 11] = (byte) checksum;
        int tcp = ip + 20;
        int port = 10_000 + i % 50_000;
        f[tcp] = (byte) (port >>> 8);
        f[tcp + 1] = (byte) port;
        f[tcp + 2] = (byte) (5432 >>> 8);
        f[tcp + 3] = (byte) 5432;
        f[tcp + 4] = (byte) (i >>> 24); // seq
        f[tcp + 5] = (byte) (i >>> 16);
        f[tcp + 6] = (byte) (i >>> 8);
        f[tcp + 7] = (byte) i;
        f[tcp + 12] = 0x50; // data offset 5 words
        f[tcp + 13] = 0x02; // SYN
        f[tcp + 14] = (byte) 0xFF; // window
        f[tcp + 15] = (byte) 0xFF;
        return f;
    }

    private static int ipv4Checksum(byte[] f, int off) {
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((f[off + i] & 0xFF) << 8) | (f[off + i + 1] & 0xFF);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }

    private static void le32(OutputStream out, int v) throws IOException {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }

    private static void le16(OutputStream out, int v) throws IOException {
        out.write(v);
        out.write(v >>> 8);
    }

    /** {@code java ... SynFlood FILE FLOWS}: writes the capture for the bench script. */
    public static void main(String[] args) throws IOException {
        write(Path.of(args[0]), Integer.parseInt(args[1]));
    }
}
