package io.dbwire.core.decap;

import static io.dbwire.core.util.CountedEvent.Kind.PROBLEM;
import static io.dbwire.core.util.CountedEvent.Kind.VOLUME;

import io.dbwire.core.util.CountedEvent;
import java.util.Locale;

/**
 * What the decap layer made of one frame. Exactly one {@link #frameOutcome() frame outcome} is counted per frame,
 * so those sum to the frames fed ({@link Decapsulator#frames()}). Three outcomes deliver a TCP segment
 * ({@link #delivered()}): {@link #TCP}, {@link #TCP_REASSEMBLED} and {@link #TRUNCATED_PAYLOAD}; a held fragment
 * ({@link #IP_FRAGMENT}) waits for the rest; every other one is a drop with its reason. The last few values are
 * fragment-datagram events counted when they happen, not per frame.
 */
public enum DecapOutcome implements CountedEvent {
    /** A complete TCP segment. */
    TCP(VOLUME, true),
    /** A complete TCP segment whose datagram this frame's fragment completed (the segment is a copy). */
    TCP_REASSEMBLED(VOLUME, true),
    /**
     * A TCP segment whose payload the capture cut short (snaplen, or the mirror session's packet length): the
     * segment is delivered with {@link DecodedPacket#payloadMissing} set so the TCP layer can record a gap.
     */
    TRUNCATED_PAYLOAD(PROBLEM, true),

    /** Null buffer or packet, or offset/length outside the array. A caller bug, counted rather than thrown. */
    INVALID_BUFFER,
    UNSUPPORTED_LINK_TYPE,
    /** The link header itself (Ethernet, Linux cooked, BSD loopback, PPP…) was cut short (or the buffer was empty). */
    LINK_TRUNCATED,
    VLAN_TRUNCATED,
    /** More than {@link VlanTags#MAX_DEPTH} stacked 802.1Q/802.1ad tags. */
    VLAN_TOO_DEEP,
    /** An IEEE 802.3 length field where an EtherType belongs (LLC frames: STP, CDP...). */
    NOT_ETHERNET_II,
    ARP,
    /** An EtherType other than IPv4, IPv6, ARP or a VLAN TPID (LLDP, MPLS, ...). */
    UNKNOWN_ETHERTYPE,
    /** A link header without Ethernet (BSD loopback, PPP, pflog…) naming a protocol other than IPv4 or IPv6. */
    NOT_IP,
    /** The IP version nibble does not match the EtherType, or (RAW) is neither 4 nor 6. */
    BAD_IP_VERSION,

    IPV4_TRUNCATED,
    /** IHL below 5. */
    IPV4_BAD_HEADER_LENGTH,
    /** Total length below the header length. */
    IPV4_BAD_TOTAL_LENGTH,
    IPV6_TRUNCATED,
    /** Payload length 0: a jumbogram (RFC 2675), which a mirror never carries; not decoded. */
    IPV6_JUMBOGRAM,
    /** An extension header longer than the payload length announced. */
    IPV6_BAD_EXTENSION_LENGTH,
    /** More than {@link Ipv6Header#MAX_EXTENSION_HEADERS} extension headers. */
    IPV6_TOO_MANY_EXTENSIONS,
    /** A fragment of an IPv4 or IPv6 datagram, held until the rest arrives (normal volume, not a drop). */
    IP_FRAGMENT(VOLUME),
    /** A fragment whose every byte was already held: a retransmission or a mirror copy. */
    FRAGMENT_DUPLICATE(VOLUME),
    /**
     * A fragment that cannot belong to a valid datagram: empty, past 65535 bytes, a non-final fragment whose
     * length is not a multiple of 8, data past the datagram's end or a second different end, or a datagram
     * broken into more than {@link FragmentTable#MAX_RANGES} separate pieces.
     */
    FRAGMENT_INVALID,
    /** A fragment the capture cut short: its bytes cannot be placed, the datagram will time out. */
    FRAGMENT_TRUNCATED,

    /** ICMP or ICMPv6. */
    ICMP,
    /** An IP protocol other than TCP, UDP or ICMP (ESP, GRE, SCTP, IPv6 "no next header", ...). */
    NOT_TCP,
    UDP_TRUNCATED,
    /** UDP length below 8 or beyond the IP payload. */
    UDP_BAD_LENGTH,
    /** UDP to a port that is not a configured tunnel port. */
    UDP_OTHER,

    VXLAN_TRUNCATED,
    /** The I flag (VNI valid) is clear. */
    VXLAN_BAD_FLAGS,
    /** Fixed header or options cut short. */
    GENEVE_TRUNCATED,
    GENEVE_BAD_VERSION,
    /** The O bit: a control message between tunnel endpoints, not user traffic. */
    GENEVE_CONTROL,
    /** A protocol type other than Ethernet, IPv4 or IPv6. */
    GENEVE_UNKNOWN_PROTOCOL,
    /** Tunnels nested deeper than {@code DecapConfig.maxTunnelDepth()}. */
    TUNNEL_TOO_DEEP,

    /** The TCP header (options included) was not fully captured. */
    TCP_TRUNCATED,
    /** Data offset below 5 or beyond the IP payload length, or an IP payload too short for any TCP header. */
    TCP_BAD_DATA_OFFSET,

    // Datagram events, not frame outcomes: counted when they happen, outside the one-outcome-per-frame sum.
    /** A fragment overlapped held bytes with different content; the first copy was kept (evasion attempt). */
    FRAGMENT_OVERLAP_CONFLICT(PROBLEM, false, false),
    /** An incomplete datagram given up after {@link FragmentLimits#timeoutMicros()}. */
    FRAGMENT_TIMEOUT(PROBLEM, false, false),
    /** An incomplete datagram dropped to stay within {@link FragmentLimits} (count or bytes). */
    FRAGMENT_EVICTED(PROBLEM, false, false);

    private final Kind kind;
    private final boolean delivered;
    private final boolean frameOutcome;
    private final String key;

    DecapOutcome() {
        this(PROBLEM);
    }

    DecapOutcome(Kind kind) {
        this(kind, false);
    }

    DecapOutcome(Kind kind, boolean delivered) {
        this(kind, delivered, true);
    }

    DecapOutcome(Kind kind, boolean delivered, boolean frameOutcome) {
        this.kind = kind;
        this.delivered = delivered;
        this.frameOutcome = frameOutcome;
        this.key = name().toLowerCase(Locale.ROOT);
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public String layer() {
        return "decap";
    }

    /** True for the outcomes of a frame (they sum to the frames fed); false for datagram events. */
    public boolean frameOutcome() {
        return frameOutcome;
    }

    /** True when {@link Decapsulator#decode} returned a TCP segment for this outcome. */
    public boolean delivered() {
        return delivered;
    }

    /** Lower-case name for metrics, e.g. {@code decap.} + {@code truncated_payload}. */
    public String key() {
        return key;
    }
}
