package io.dbwire.daemon.console;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The UDP payloads of a classic pcap of VXLAN frames, sent to a daemon as a mirror session would. */
public final class VxlanDatagrams {
    /** Outer Ethernet (14) + IPv4 without options (20) + UDP (8): where the VXLAN header starts. */
    private static final int VXLAN_OFFSET = 42;

    private VxlanDatagrams() {}

    public static List<byte[]> payloads(Path pcap) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcap));
        b.order(b.getInt(0) == 0xA1B2C3D4 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        List<byte[]> out = new ArrayList<>();
        int pos = 24;
        while (pos + 16 <= b.capacity()) {
            int captured = b.getInt(pos + 8);
            byte[] payload = new byte[captured - VXLAN_OFFSET];
            System.arraycopy(b.array(), pos + 16 + VXLAN_OFFSET, payload, 0, payload.length);
            out.add(payload);
            pos += 16 + captured;
        }
        return out;
    }

    public static void send(List<byte[]> payloads, InetSocketAddress to) throws Exception {
        try (DatagramSocket socket = new DatagramSocket()) {
            for (byte[] p : payloads) {
                socket.send(new DatagramPacket(p, p.length, to));
            }
        }
    }
}
