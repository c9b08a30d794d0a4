package io.dbwire.daemon.it;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Rewrites an Ethernet pcap (tcpdump on Linux loopback) as another link type, the way a BSD, macOS or OpenBSD
 * capture, or a raw-IP export, would have written the same packets: the 14-byte Ethernet header is replaced by
 * the target's link header and the file header's link-type field changed. Timestamps and packet bytes are kept.
 */
final class LinkTypeConverter {
    /** Builds the new link header for one packet from its Ethernet frame (whose IP packet starts at 14). */
    interface LinkHeader {
        byte[] header(byte[] ethernetFrame);
    }

    private static final int PCAP_HEADER = 24;
    private static final int RECORD_HEADER = 16;
    private static final int ETHERNET_HEADER = 14;

    private LinkTypeConverter() {}

    /** {@code keepEthernet}: the header goes in front of the whole Ethernet frame (PKTAP) instead of replacing it. */
    static Path convert(Path ethernetPcap, Path target, int linkType, boolean keepEthernet, LinkHeader header)
            throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(ethernetPcap));
        int magic = in.getInt(0);
        ByteOrder order = magic == 0xa1b2c3d4 || magic == 0xa1b23c4d ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        in.order(order);
        if (in.getInt(20) != 1) {
            throw new IOException(ethernetPcap + ": link type " + in.getInt(20) + ", expected Ethernet (1)");
        }
        ByteBuffer out = ByteBuffer.allocate(in.capacity() * 2 + 1024).order(order);
        out.put(Arrays.copyOf(in.array(), PCAP_HEADER));
        out.putInt(20, linkType);
        int pos = PCAP_HEADER;
        while (pos + RECORD_HEADER <= in.capacity()) {
            int captured = in.getInt(pos + 8);
            int original = in.getInt(pos + 12);
            byte[] frame = Arrays.copyOfRange(in.array(), pos + RECORD_HEADER, pos + RECORD_HEADER + captured);
            int strip = keepEthernet ? 0 : ETHERNET_HEADER;
            byte[] link = header.header(frame);
            out.putInt(in.getInt(pos)).putInt(in.getInt(pos + 4));
            out.putInt(captured - strip + link.length).putInt(original - strip + link.length);
            out.put(link).put(frame, strip, captured - strip);
            pos += RECORD_HEADER + captured;
        }
        Files.write(target, Arrays.copyOf(out.array(), out.position()));
        return target;
    }

    /** The frame's EtherType: 0x0800 or 0x86DD for IP. */
    static int etherType(byte[] frame) {
        return (frame[12] & 0xFF) << 8 | (frame[13] & 0xFF);
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
