package io.dbwire.core.decap;

import io.dbwire.core.config.DecapConfig;
import io.dbwire.core.memory.MemoryBudget;
import io.dbwire.core.util.ReasonCounters;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.Set;

/**
 * Finds the TCP segment in a captured frame: link header, VLAN tags, IPv4/IPv6, UDP tunnels (VXLAN, GENEVE, nested
 * up to the configured depth), TCP. A pure function over bytes, shared by the UDP listener, pcap replay and live
 * capture; nothing is copied: {@link DecodedPacket} points into the caller's array.
 *
 * <p>Each layer method reads only bytes it has checked were captured and returns an outcome; exactly one outcome
 * is counted per frame. Positions are carried as {@code [off, end)} where {@code end} is the end of captured
 * bytes for the current layer, already clipped to the enclosing length field (so Ethernet padding after an IP
 * packet, or bytes after a UDP datagram, are never read as payload). {@code missing} counts bytes the IP header
 * announced but the capture did not hold.
 *
 * <p>Not thread-safe: one instance per owning thread (its counters are single-writer).
 */
public final class Decapsulator {
    private static final int IP_PROTO_ICMP = 1;
    private static final int IP_PROTO_TCP = 6;
    private static final int IP_PROTO_UDP = 17;
    private static final int IP_PROTO_ICMPV6 = 58;

    private static final byte PORT_PLAIN = 0;
    private static final byte PORT_VXLAN = 1;
    private static final byte PORT_GENEVE = 2;

    /** Tunnel kind by UDP destination port: a table, so the hot path neither boxes nor hashes. */
    private final byte[] udpPortKind = new byte[65536];
    private final int maxTunnelDepth;
    private final ReasonCounters<DecapOutcome> counters = new ReasonCounters<>(DecapOutcome.class);
    private final FragmentTable fragments;
    private long missingPayloadBytes;
    private long frames;
    /** Per frame: a fragment completed a datagram, so the segment lives in a reassembly buffer. */
    private boolean reassembled;
    /** Per frame: identification of the innermost IPv4 header, -1 for IPv6 (for {@link DecodedPacket#copyDigest}). */
    private int ipId;
    /** Per frame: the datagram of the last IP fragment met, null when none. */
    private FragmentKey fragment;
    private DecapOutcome lastOutcome;

    public Decapsulator(DecapConfig config) {
        this(config, FragmentLimits.defaults());
    }

    public Decapsulator(DecapConfig config, FragmentLimits fragmentLimits) {
        this(config, fragmentLimits, MemoryBudget.unlimited());
    }

    /** Fragment reassembly draws from {@code memory}, the shard's budget. */
    public Decapsulator(DecapConfig config, FragmentLimits fragmentLimits, MemoryBudget memory) {
        Objects.requireNonNull(config, "config");
        this.fragments = new FragmentTable(Objects.requireNonNull(fragmentLimits, "fragmentLimits"), counters,
                memory);
        this.maxTunnelDepth = Math.max(0, config.maxTunnelDepth());
        // GENEVE first so that a port listed in both sets is VXLAN, the AWS Traffic Mirroring default.
        mark(config.genevePorts(), PORT_GENEVE);
        mark(config.vxlanPorts(), PORT_VXLAN);
    }

    private void mark(Set<Integer> ports, byte kind) {
        for (Integer port : ports) {
            if (port != null && port >= 0 && port < udpPortKind.length) {
                udpPortKind[port] = kind;
            }
        }
    }

    /**
     * Decodes one frame into {@code out} (reset first). Returns true when {@code out} now holds a TCP segment;
     * otherwise the drop reason was counted and {@code out} holds nothing meaningful. Never throws.
     *
     * @param frame    the captured bytes; referenced by {@code out.data}, not copied
     * @param tsMicros packet time, microseconds since the epoch
     */
    public boolean decode(byte[] frame, int offset, int length, LinkType linkType, long tsMicros, DecodedPacket out) {
        if (out == null) {
            counters.increment(DecapOutcome.INVALID_BUFFER);
            return false;
        }
        out.reset();
        frames++;
        reassembled = false;
        ipId = -1;
        fragment = null;
        fragments.expire(tsMicros);
        DecapOutcome outcome;
        if (frame == null || offset < 0 || length < 0 || offset > frame.length - length) {
            outcome = DecapOutcome.INVALID_BUFFER;
        } else {
            out.tsMicros = tsMicros;
            out.data = frame;
            outcome = link(frame, offset, offset + length, linkType, out);
        }
        if (outcome == DecapOutcome.TCP && reassembled) {
            outcome = DecapOutcome.TCP_REASSEMBLED;
        }
        counters.increment(outcome);
        lastOutcome = outcome;
        if (outcome == DecapOutcome.TRUNCATED_PAYLOAD) {
            missingPayloadBytes += out.payloadMissing;
        }
        return outcome.delivered();
    }

    /** Outcome counts: the {@link DecapOutcome#frameOutcome() frame outcomes} sum to {@link #frames()}. */
    public ReasonCounters<DecapOutcome> counters() {
        return counters;
    }

    /** What the last {@link #decode} made of its frame. */
    public DecapOutcome lastOutcome() {
        return lastOutcome;
    }

    /**
     * The datagram of the IP fragment in the last frame decoded (held, refused, or completing it), or null when
     * the frame was no fragment. Lets a router keep a datagram's fragments together.
     */
    public FragmentKey lastFragment() {
        return fragment;
    }

    /** Frames fed to {@link #decode}. */
    public long frames() {
        return frames;
    }

    /** Datagrams in the fragment table (incomplete, or complete and lingering to absorb late copies). */
    public int fragmentDatagrams() {
        return fragments.size();
    }

    /** Reassembly buffer bytes held; bounded by {@link FragmentLimits#maxBytes()}. */
    public long fragmentBytes() {
        return fragments.bytesHeld();
    }

    /** Payload bytes announced by IP headers but not captured, summed over {@link DecapOutcome#TRUNCATED_PAYLOAD}. */
    public long missingPayloadBytes() {
        return missingPayloadBytes;
    }

    private DecapOutcome link(byte[] b, int off, int end, LinkType linkType, DecodedPacket out) {
        if (linkType == null) {
            return DecapOutcome.UNSUPPORTED_LINK_TYPE;
        }
        switch (linkType) {
            case ETHERNET:
                return ethernet(b, off, end, 0, out);
            case LINUX_SLL:
                if (end - off < LinuxCookedHeader.SLL_LENGTH) {
                    return DecapOutcome.LINK_TRUNCATED;
                }
                return etherType(LinuxCookedHeader.sllProtocol(b, off), b, off + LinuxCookedHeader.SLL_LENGTH, end, 0,
                        out);
            case LINUX_SLL2:
                if (end - off < LinuxCookedHeader.SLL2_LENGTH) {
                    return DecapOutcome.LINK_TRUNCATED;
                }
                return etherType(LinuxCookedHeader.sll2Protocol(b, off), b, off + LinuxCookedHeader.SLL2_LENGTH, end,
                        0, out);
            case RAW:
                return rawIp(b, off, end, 0, out);
            case VXLAN_PAYLOAD:
                return vxlan(b, off, end, 0, out);
            case GENEVE_PAYLOAD:
                return geneve(b, off, end, 0, out);
            case PKTAP:
                return pktap(b, off, end, out);
            case UNKNOWN:
                return DecapOutcome.UNSUPPORTED_LINK_TYPE;
            default:
                return ipLink(linkType, b, off, end, out);
        }
    }

    /** A link header that carries IP without Ethernet (BSD loopback, raw, PPP, pflog, nflog…): {@link LinkHeaders}. */
    private DecapOutcome ipLink(LinkType linkType, byte[] b, int off, int end, DecodedPacket out) {
        int header = LinkHeaders.headerLength(linkType, b, off, end);
        if (header == LinkHeaders.TRUNCATED) {
            return DecapOutcome.LINK_TRUNCATED;
        }
        int protocol = LinkHeaders.protocol(linkType, b, off, header);
        if (protocol == LinkHeaders.BY_VERSION) {
            return rawIp(b, off + header, end, 0, out);
        }
        if (protocol == LinkHeaders.NOT_IP) {
            return DecapOutcome.NOT_IP;
        }
        return etherType(protocol, b, off + header, end, 0, out);
    }

    /** macOS PKTAP: its header names the link type of the frame inside (never another PKTAP: no recursion). */
    private DecapOutcome pktap(byte[] b, int off, int end, DecodedPacket out) {
        int header = LinkHeaders.headerLength(LinkType.PKTAP, b, off, end);
        if (header == LinkHeaders.TRUNCATED) {
            return DecapOutcome.LINK_TRUNCATED;
        }
        LinkType inner = LinkHeaders.pktapInner(b, off);
        if (inner == LinkType.PKTAP || inner.pcapValue() < 0) {
            return DecapOutcome.UNSUPPORTED_LINK_TYPE;
        }
        return link(b, off + header, end, inner, out);
    }

    private DecapOutcome ethernet(byte[] b, int off, int end, int depth, DecodedPacket out) {
        if (end - off < EthernetHeader.LENGTH) {
            return DecapOutcome.LINK_TRUNCATED;
        }
        return etherType(EthernetHeader.etherType(b, off), b, off + EthernetHeader.LENGTH, end, depth, out);
    }

    /** Dispatches on an EtherType whose payload starts at {@code off}, walking VLAN tags first. */
    private DecapOutcome etherType(int type, byte[] b, int off, int end, int depth, DecodedPacket out) {
        int tags = 0;
        while (VlanTags.isTpid(type)) {
            if (++tags > VlanTags.MAX_DEPTH) {
                return DecapOutcome.VLAN_TOO_DEEP;
            }
            if (end - off < VlanTags.LENGTH) {
                return DecapOutcome.VLAN_TRUNCATED;
            }
            type = VlanTags.nextEtherType(b, off);
            off += VlanTags.LENGTH;
        }
        switch (type) {
            case EthernetHeader.TYPE_IPV4:
                return ipv4(b, off, end, depth, out);
            case EthernetHeader.TYPE_IPV6:
                return ipv6(b, off, end, depth, out);
            case EthernetHeader.TYPE_ARP:
                return DecapOutcome.ARP;
            default:
                return type < EthernetHeader.MIN_ETHER_TYPE ? DecapOutcome.NOT_ETHERNET_II
                        : DecapOutcome.UNKNOWN_ETHERTYPE;
        }
    }

    /** An IP packet without link header: the version nibble says which. */
    private DecapOutcome rawIp(byte[] b, int off, int end, int depth, DecodedPacket out) {
        if (end - off < 1) {
            return DecapOutcome.LINK_TRUNCATED;
        }
        switch (Ipv4Header.version(b, off)) {
            case 4:
                return ipv4(b, off, end, depth, out);
            case 6:
                return ipv6(b, off, end, depth, out);
            default:
                return DecapOutcome.BAD_IP_VERSION;
        }
    }

    private DecapOutcome ipv4(byte[] b, int off, int end, int depth, DecodedPacket out) {
        int captured = end - off;
        if (captured < 1) {
            return DecapOutcome.IPV4_TRUNCATED;
        }
        if (Ipv4Header.version(b, off) != 4) {
            return DecapOutcome.BAD_IP_VERSION;
        }
        int headerLength = Ipv4Header.headerLength(b, off);
        if (headerLength < Ipv4Header.MIN_LENGTH) {
            return DecapOutcome.IPV4_BAD_HEADER_LENGTH;
        }
        if (captured < headerLength) {
            return DecapOutcome.IPV4_TRUNCATED;
        }
        int totalLength = Ipv4Header.totalLength(b, off);
        if (totalLength < headerLength) {
            return DecapOutcome.IPV4_BAD_TOTAL_LENGTH;
        }
        out.ipVersion = 4;
        out.srcHi = 0;
        out.srcLo = IpAddresses.IPV4_MAPPED_PREFIX | Ipv4Header.source(b, off);
        out.dstHi = 0;
        out.dstLo = IpAddresses.IPV4_MAPPED_PREFIX | Ipv4Header.destination(b, off);
        ipId = Ipv4Header.identification(b, off);
        if (Ipv4Header.isFragment(b, off)) {
            return ipv4Fragment(b, off, headerLength, totalLength, captured, depth, out);
        }
        // The IP total length, not the frame length, ends the packet: Ethernet pads short frames to 60 bytes.
        int ipEnd = totalLength <= captured ? off + totalLength : end;
        int missing = totalLength <= captured ? 0 : totalLength - captured;
        return transport(Ipv4Header.protocol(b, off), b, off + headerLength, ipEnd, missing, depth, out);
    }

    /**
     * Holds an IPv4 fragment (a copy) in the bounded fragment table; the fragment completing a datagram hands the
     * rebuilt payload to {@link #transport}, so its TCP segment points into the reassembly buffer.
     */
    private DecapOutcome ipv4Fragment(byte[] b, int off, int headerLength, int totalLength, int captured, int depth,
            DecodedPacket out) {
        if (totalLength > captured) {
            return DecapOutcome.FRAGMENT_TRUNCATED;
        }
        int protocol = Ipv4Header.protocol(b, off);
        FragmentKey key = new FragmentKey(4, 0, out.srcLo, 0, out.dstLo, ipId, protocol);
        fragment = key;
        FragmentTable.Result result = fragments.add(key, Ipv4Header.fragmentOffset(b, off),
                Ipv4Header.moreFragments(b, off), b, off + headerLength, totalLength - headerLength, -1,
                out.tsMicros);
        if (result != FragmentTable.Result.COMPLETE) {
            return heldOutcome(result);
        }
        FragmentTable.Datagram d = fragments.completed();
        reassembled = true;
        return transport(protocol, d.buf, 0, d.length, 0, depth, out);
    }

    private static DecapOutcome heldOutcome(FragmentTable.Result result) {
        switch (result) {
            case HELD:
                return DecapOutcome.IP_FRAGMENT;
            case DUPLICATE:
                return DecapOutcome.FRAGMENT_DUPLICATE;
            default:
                return DecapOutcome.FRAGMENT_INVALID;
        }
    }

    /** The IPv6 counterpart of {@link #ipv4Fragment}: the fragment header is at {@code pos}. */
    private DecapOutcome ipv6Fragment(byte[] b, int pos, int end, int missing, int depth, DecodedPacket out) {
        if (missing > 0) {
            return DecapOutcome.FRAGMENT_TRUNCATED;
        }
        long id = Ipv6Header.fragmentIdentification(b, pos);
        FragmentKey key = new FragmentKey(6, out.srcHi, out.srcLo, out.dstHi, out.dstLo, id, -1);
        fragment = key;
        int data = pos + Ipv6Header.FRAGMENT_HEADER_LENGTH;
        FragmentTable.Result result = fragments.add(key, Ipv6Header.fragmentOffset(b, pos),
                Ipv6Header.moreFragments(b, pos), b, data, end - data, Ipv6Header.extensionNextHeader(b, pos),
                out.tsMicros);
        if (result != FragmentTable.Result.COMPLETE) {
            return heldOutcome(result);
        }
        FragmentTable.Datagram d = fragments.completed();
        reassembled = true;
        return ipv6Extensions(d.nextHeader, d.buf, 0, d.length, 0, depth, true, out);
    }

    private DecapOutcome ipv6(byte[] b, int off, int end, int depth, DecodedPacket out) {
        int captured = end - off;
        if (captured < 1) {
            return DecapOutcome.IPV6_TRUNCATED;
        }
        if (Ipv6Header.version(b, off) != 6) {
            return DecapOutcome.BAD_IP_VERSION;
        }
        if (captured < Ipv6Header.LENGTH) {
            return DecapOutcome.IPV6_TRUNCATED;
        }
        int payloadLength = Ipv6Header.payloadLength(b, off);
        if (payloadLength == 0) {
            return DecapOutcome.IPV6_JUMBOGRAM;
        }
        out.ipVersion = 6;
        ipId = -1;
        out.srcHi = Ipv6Header.sourceHi(b, off);
        out.srcLo = Ipv6Header.sourceLo(b, off);
        out.dstHi = Ipv6Header.destinationHi(b, off);
        out.dstLo = Ipv6Header.destinationLo(b, off);
        int pos = off + Ipv6Header.LENGTH;
        int capturedPayload = Math.min(end - pos, payloadLength);
        int ipEnd = pos + capturedPayload;
        int missing = payloadLength - capturedPayload;
        return ipv6Extensions(Ipv6Header.nextHeader(b, off), b, pos, ipEnd, missing, depth, false, out);
    }

    /**
     * Walks extension headers (bounded) to the upper-layer protocol. {@code reassembledPart} is true for the
     * fragmentable part of a reassembled datagram, where a second fragment header is refused (no recursion).
     */
    private DecapOutcome ipv6Extensions(int next, byte[] b, int pos, int end, int missing, int depth,
            boolean reassembledPart, DecodedPacket out) {
        for (int walked = 0; ; walked++) {
            int length;
            if (Ipv6Header.isGenericExtension(next) || next == Ipv6Header.AUTHENTICATION
                    || next == Ipv6Header.FRAGMENT) {
                if (walked >= Ipv6Header.MAX_EXTENSION_HEADERS) {
                    return DecapOutcome.IPV6_TOO_MANY_EXTENSIONS;
                }
                if (end - pos < Ipv6Header.EXTENSION_MIN_LENGTH) {
                    return end - pos + missing < Ipv6Header.EXTENSION_MIN_LENGTH
                            ? DecapOutcome.IPV6_BAD_EXTENSION_LENGTH : DecapOutcome.IPV6_TRUNCATED;
                }
            } else {
                return transport(next, b, pos, end, missing, depth, out);
            }
            if (next == Ipv6Header.FRAGMENT) {
                if (Ipv6Header.isRealFragment(b, pos)) {
                    return reassembledPart ? DecapOutcome.FRAGMENT_INVALID
                            : ipv6Fragment(b, pos, end, missing, depth, out);
                }
                length = Ipv6Header.FRAGMENT_HEADER_LENGTH;
            } else if (next == Ipv6Header.AUTHENTICATION) {
                length = Ipv6Header.authenticationLength(b, pos);
            } else {
                length = Ipv6Header.genericExtensionLength(b, pos);
            }
            if (length > end - pos + missing) {
                return DecapOutcome.IPV6_BAD_EXTENSION_LENGTH;
            }
            if (length > end - pos) {
                return DecapOutcome.IPV6_TRUNCATED;
            }
            next = Ipv6Header.extensionNextHeader(b, pos);
            pos += length;
        }
    }

    private DecapOutcome transport(int protocol, byte[] b, int off, int end, int missing, int depth,
            DecodedPacket out) {
        switch (protocol) {
            case IP_PROTO_TCP:
                return tcp(b, off, end, missing, out);
            case IP_PROTO_UDP:
                return udp(b, off, end, missing, depth, out);
            case IP_PROTO_ICMP:
            case IP_PROTO_ICMPV6:
                return DecapOutcome.ICMP;
            default:
                return DecapOutcome.NOT_TCP;
        }
    }

    private DecapOutcome udp(byte[] b, int off, int end, int missing, int depth, DecodedPacket out) {
        int captured = end - off;
        if (captured < UdpHeader.LENGTH) {
            return captured + missing < UdpHeader.LENGTH ? DecapOutcome.UDP_BAD_LENGTH : DecapOutcome.UDP_TRUNCATED;
        }
        int udpLength = UdpHeader.length(b, off);
        if (udpLength == 0) {
            udpLength = captured + missing; // jumbogram convention: the IP length rules
        }
        if (udpLength < UdpHeader.LENGTH || udpLength > captured + missing) {
            return DecapOutcome.UDP_BAD_LENGTH;
        }
        int kind = udpPortKind[UdpHeader.destinationPort(b, off)];
        if (kind == PORT_PLAIN) {
            return DecapOutcome.UDP_OTHER;
        }
        int innerEnd = Math.min(end, off + udpLength);
        int inner = off + UdpHeader.LENGTH;
        return kind == PORT_VXLAN ? vxlan(b, inner, innerEnd, depth, out) : geneve(b, inner, innerEnd, depth, out);
    }

    private DecapOutcome vxlan(byte[] b, int off, int end, int depth, DecodedPacket out) {
        if (depth >= maxTunnelDepth) {
            return DecapOutcome.TUNNEL_TOO_DEEP;
        }
        if (end - off < VxlanHeader.LENGTH) {
            return DecapOutcome.VXLAN_TRUNCATED;
        }
        if (!VxlanHeader.vniValid(b, off)) {
            return DecapOutcome.VXLAN_BAD_FLAGS;
        }
        if (depth == 0) {
            out.vni = VxlanHeader.vni(b, off); // the outermost VNI names the mirror session
        }
        return ethernet(b, off + VxlanHeader.LENGTH, end, depth + 1, out);
    }

    private DecapOutcome geneve(byte[] b, int off, int end, int depth, DecodedPacket out) {
        if (depth >= maxTunnelDepth) {
            return DecapOutcome.TUNNEL_TOO_DEEP;
        }
        if (end - off < GeneveHeader.MIN_LENGTH) {
            return DecapOutcome.GENEVE_TRUNCATED;
        }
        if (GeneveHeader.version(b, off) != GeneveHeader.VERSION) {
            return DecapOutcome.GENEVE_BAD_VERSION;
        }
        if (GeneveHeader.isControl(b, off)) {
            return DecapOutcome.GENEVE_CONTROL;
        }
        int headerLength = GeneveHeader.headerLength(b, off);
        if (end - off < headerLength) {
            return DecapOutcome.GENEVE_TRUNCATED;
        }
        if (depth == 0) {
            out.vni = GeneveHeader.vni(b, off);
        }
        int inner = off + headerLength;
        switch (GeneveHeader.protocolType(b, off)) {
            case EthernetHeader.TYPE_TRANSPARENT_ETHERNET:
                return ethernet(b, inner, end, depth + 1, out);
            case EthernetHeader.TYPE_IPV4:
                return ipv4(b, inner, end, depth + 1, out);
            case EthernetHeader.TYPE_IPV6:
                return ipv6(b, inner, end, depth + 1, out);
            default:
                return DecapOutcome.GENEVE_UNKNOWN_PROTOCOL;
        }
    }

    private DecapOutcome tcp(byte[] b, int off, int end, int missing, DecodedPacket out) {
        int captured = end - off;
        if (captured < TcpHeader.MIN_LENGTH) {
            return captured + missing < TcpHeader.MIN_LENGTH ? DecapOutcome.TCP_BAD_DATA_OFFSET
                    : DecapOutcome.TCP_TRUNCATED;
        }
        int headerLength = TcpHeader.headerLength(b, off);
        if (headerLength < TcpHeader.MIN_LENGTH || headerLength > captured + missing) {
            return DecapOutcome.TCP_BAD_DATA_OFFSET;
        }
        if (headerLength > captured) {
            return DecapOutcome.TCP_TRUNCATED;
        }
        out.data = b; // the frame, or a reassembly buffer
        out.copyDigest = copyDigest(b, off, headerLength);
        out.srcPort = TcpHeader.sourcePort(b, off);
        out.dstPort = TcpHeader.destinationPort(b, off);
        out.seq = TcpHeader.sequence(b, off);
        out.ack = TcpHeader.acknowledgement(b, off);
        out.tcpFlags = TcpHeader.flags(b, off);
        out.payloadOffset = off + headerLength;
        out.payloadLength = captured - headerLength;
        out.payloadMissing = missing;
        return missing == 0 ? DecapOutcome.TCP : DecapOutcome.TRUNCATED_PAYLOAD;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /**
     * See {@link DecodedPacket#copyDigest}: IP identification, then the TCP header from the window on (options
     * included), eight bytes per step; collisions only cost a counter label. Runs once per packet.
     */
    private long copyDigest(byte[] b, int off, int headerLength) {
        long h = ipId;
        int i = off + TcpHeader.WINDOW_OFFSET;
        int end = off + headerLength;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            h = (h ^ (long) LONGS.get(b, i)) * 0x9E3779B97F4A7C15L;
        }
        for (; i < end; i++) {
            h = h * 0x100000001B3L + (b[i] & 0xFF);
        }
        return h;
    }
}
