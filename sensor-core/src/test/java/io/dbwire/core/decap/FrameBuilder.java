package io.dbwire.core.decap;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Builds well-formed frames for tests, so that a test states only the fields it is about:
 * {@code FrameBuilder.ipv4Tcp("10.0.0.1", 50000, "10.0.0.2", 5432, payload).wrapVxlan(7).build()}.
 *
 * <p>The fluent form always holds a complete Ethernet II frame. The static layer methods build one header
 * each and can be combined freely for odd shapes. IPv4 header checksums are filled in (so the output also reads
 * cleanly in Wireshark); TCP and UDP checksums are left 0, which the decap layer does not check.
 */
public final class FrameBuilder {
    public static final int IP_PROTO_TCP = 6;
    public static final int IP_PROTO_UDP = 17;
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    public static final int GENEVE_ETHERNET = 0x6558;
    public static final int VXLAN_PORT = 4789;
    public static final int GENEVE_PORT = 6081;
    public static final int DEFAULT_FLAGS = DecodedPacket.PSH | DecodedPacket.ACK;

    private static final byte[] DST_MAC = {0x02, 0, 0, 0, 0, 0x02};
    private static final byte[] SRC_MAC = {0x02, 0, 0, 0, 0, 0x01};

    private byte[] frame;
    private int tunnelHeaderOffset = -1;

    private FrameBuilder(byte[] frame) {
        this.frame = frame;
    }

    public static FrameBuilder ethernetFrame(byte[] frame) {
        return new FrameBuilder(frame.clone());
    }

    /** Seq 1000, ack 2000, PSH|ACK. */
    public static FrameBuilder ipv4Tcp(String src, int srcPort, String dst, int dstPort, byte[] payload) {
        return ipv4Tcp(src, srcPort, dst, dstPort, 1000, 2000, DEFAULT_FLAGS, payload);
    }

    public static FrameBuilder ipv4Tcp(String src, int srcPort, String dst, int dstPort, long seq, long ack,
            int flags, byte[] payload) {
        byte[] segment = tcp(srcPort, dstPort, seq, ack, flags, new byte[0], payload);
        return new FrameBuilder(ethernet(ETHERTYPE_IPV4, ipv4(src, dst, IP_PROTO_TCP, segment)));
    }

    /** Seq 1000, ack 2000, PSH|ACK. */
    public static FrameBuilder ipv6Tcp(String src, int srcPort, String dst, int dstPort, byte[] payload) {
        byte[] segment = tcp(srcPort, dstPort, 1000, 2000, DEFAULT_FLAGS, new byte[0], payload);
        return new FrameBuilder(ethernet(ETHERTYPE_IPV6, ipv6(src, dst, IP_PROTO_TCP, segment)));
    }

    /** Inserts an 802.1Q/802.1ad tag after the MAC addresses; the tag added last is the outermost. */
    public FrameBuilder vlan(int tpid, int vlanId) {
        byte[] tag = {(byte) (tpid >>> 8), (byte) tpid, (byte) ((vlanId >>> 8) & 0x0F), (byte) vlanId};
        frame = concat(Arrays.copyOfRange(frame, 0, 12), tag, Arrays.copyOfRange(frame, 12, frame.length));
        return this;
    }

    /** Outer Ethernet / IPv4 192.0.2.1 -> 192.0.2.2 / UDP 50000 -> 4789 / VXLAN(vni) around the current frame. */
    public FrameBuilder wrapVxlan(int vni) {
        return wrapUdp(VXLAN_PORT, vxlan(vni, frame));
    }

    /** As {@link #wrapVxlan} with GENEVE (protocol type 0x6558) on UDP 6081; options must be a multiple of 4. */
    public FrameBuilder wrapGeneve(int vni, byte[] options) {
        return wrapUdp(GENEVE_PORT, geneve(vni, GENEVE_ETHERNET, options, frame));
    }

    private FrameBuilder wrapUdp(int port, byte[] tunnelPayload) {
        frame = ethernet(ETHERTYPE_IPV4, ipv4("192.0.2.1", "192.0.2.2", IP_PROTO_UDP, udp(50000, port, tunnelPayload)));
        tunnelHeaderOffset = 14 + 20 + 8;
        return this;
    }

    public byte[] build() {
        return frame.clone();
    }

    /** The bytes after the 14-byte Ethernet header (for LinkType.RAW); the frame must be untagged. */
    public byte[] ipPacket() {
        return Arrays.copyOfRange(frame, 14, frame.length);
    }

    /** After a wrap: the datagram a UDP listener receives, starting at the VXLAN/GENEVE header. */
    public byte[] tunnelPayload() {
        if (tunnelHeaderOffset < 0) {
            throw new IllegalStateException("not wrapped in a tunnel");
        }
        return Arrays.copyOfRange(frame, tunnelHeaderOffset, frame.length);
    }

    // ---- one header each -------------------------------------------------------------------------------------

    public static byte[] ethernet(int etherType, byte[] payload) {
        return concat(DST_MAC, SRC_MAC, u16(etherType), payload);
    }

    /** IHL 5, DF set, TTL 64, identification 0x1234, checksum computed. */
    public static byte[] ipv4(String src, String dst, int protocol, byte[] payload) {
        byte[] h = concat(
                new byte[] {0x45, 0}, u16(20 + payload.length), u16(0x1234), u16(0x4000),
                new byte[] {64, (byte) protocol}, u16(0), address(src, 4), address(dst, 4));
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((h[i] & 0xFF) << 8) | (h[i + 1] & 0xFF);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        h[10] = (byte) (~sum >>> 8);
        h[11] = (byte) ~sum;
        return concat(h, payload);
    }

    /** Traffic class 0, flow label 0, hop limit 64. */
    public static byte[] ipv6(String src, String dst, int nextHeader, byte[] payload) {
        return concat(new byte[] {0x60, 0, 0, 0}, u16(payload.length), new byte[] {(byte) nextHeader, 64},
                address(src, 16), address(dst, 16), payload);
    }

    /** Options must be a multiple of 4 bytes; window 65535. */
    public static byte[] tcp(int srcPort, int dstPort, long seq, long ack, int flags, byte[] options, byte[] payload) {
        int headerLength = 20 + options.length;
        return concat(u16(srcPort), u16(dstPort), u32(seq), u32(ack),
                new byte[] {(byte) ((headerLength / 4) << 4), (byte) flags}, u16(0xFFFF), u16(0), u16(0),
                options, payload);
    }

    public static byte[] udp(int srcPort, int dstPort, byte[] payload) {
        return concat(u16(srcPort), u16(dstPort), u16(8 + payload.length), u16(0), payload);
    }

    /** Flags 0x08 (VNI valid). */
    public static byte[] vxlan(int vni, byte[] innerFrame) {
        return concat(new byte[] {0x08, 0, 0, 0}, u24(vni), new byte[] {0}, innerFrame);
    }

    public static byte[] geneve(int vni, int protocolType, byte[] options, byte[] inner) {
        if (options.length % 4 != 0 || options.length > 63 * 4) {
            throw new IllegalArgumentException("GENEVE options: " + options.length + " (expected: multiple of 4)");
        }
        return concat(new byte[] {(byte) (options.length / 4), 0}, u16(protocolType), u24(vni), new byte[] {0},
                options, inner);
    }

    /** Linux cooked v1 header (incoming, ARPHRD_ETHER, 6-byte address) before a network-layer packet. */
    public static byte[] sll(int protocol, byte[] packet) {
        return concat(u16(0), u16(1), u16(6), SRC_MAC, new byte[] {0, 0}, u16(protocol), packet);
    }

    /** Linux cooked v2 header (interface 2, ARPHRD_ETHER, incoming, 6-byte address). */
    public static byte[] sll2(int protocol, byte[] packet) {
        return concat(u16(protocol), u16(0), u32(2), u16(1), new byte[] {0, 6}, SRC_MAC, new byte[] {0, 0},
                packet);
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] address(String literal, int length) {
        try {
            byte[] a = InetAddress.getByName(literal).getAddress(); // a literal: no DNS lookup
            if (a.length != length) {
                throw new IllegalArgumentException("address " + literal + " (expected: " + length + " bytes)");
            }
            return a;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    private static byte[] u16(int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    private static byte[] u24(int v) {
        return new byte[] {(byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static byte[] u32(long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
