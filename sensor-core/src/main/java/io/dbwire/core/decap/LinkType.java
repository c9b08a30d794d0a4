package io.dbwire.core.decap;

/**
 * Link-layer header types, numbered as in the pcap LINKTYPE_ registry (https://www.tcpdump.org/linktypes.html):
 * every type libpcap's common tools write for IP traffic (tcpdump, dumpcap, tshark on Linux, the BSDs and macOS).
 *
 * <p>The same numbers serve for libpcap's {@code pcap_datalink()} (DLT_ values): on Linux libpcap passes a file's
 * LINKTYPE_ through unchanged except LINKTYPE_RAW 101, which it reports as DLT_RAW 12. The historical raw values
 * differ by system (libpcap dlt.h): 12 is DLT_RAW almost everywhere but DLT_LOOP on OpenBSD, 14 is DLT_RAW on
 * OpenBSD and BSD/OS. Decap tells the two meanings of 12 apart by the first byte (an IP version nibble, or the
 * zero high byte of a network-order address family).
 */
public enum LinkType {
    /** BSD loopback (DLT_NULL): a 4-byte address family in the writing host's byte order, then the packet. */
    NULL(0),
    ETHERNET(1),
    /** PPP (RFC 1661), optionally with the HDLC-like address and control bytes 0xFF 0x03 (RFC 1662). */
    PPP(9),
    /** Raw IP as most systems number DLT_RAW; OpenBSD's DLT_LOOP. */
    RAW_12(12),
    /** Raw IP as OpenBSD and BSD/OS number DLT_RAW. */
    RAW_14(14),
    /** PPP in HDLC-like framing (RFC 1662), as written for PPP over serial lines. */
    PPP_SERIAL(50),
    RAW(101),
    /** Cisco HDLC: address, control, then an EtherType. */
    C_HDLC(104),
    /** OpenBSD loopback (DLT_LOOP): as {@link #NULL} with the address family in network byte order. */
    LOOP(108),
    /** OpenBSD enc(4): address family (host order), SPI, flags; then the decrypted IP packet. */
    ENC(109),
    LINUX_SLL(113),
    /** OpenBSD/FreeBSD/macOS pf log: a header whose first byte is its length and second the address family. */
    PFLOG(117),
    /** An IPv4 packet without link header. */
    IPV4(228),
    /** An IPv6 packet without link header. */
    IPV6(229),
    /** Linux netfilter log (tcpdump -i nflog): a 4-byte header and TLVs, one of them the packet. */
    NFLOG(239),
    /** macOS packet tap: a header naming its length and the link type of the frame that follows. */
    PKTAP(258),
    LINUX_SLL2(276),
    /** Not a pcap link type: the buffer starts at a VXLAN header (a datagram received on the VXLAN UDP port). */
    VXLAN_PAYLOAD(-2),
    /** Not a pcap link type: the buffer starts at a GENEVE header (a datagram received on the GENEVE UDP port). */
    GENEVE_PAYLOAD(-3),
    UNKNOWN(-1);

    private static final LinkType[] BY_VALUE = new LinkType[512];

    static {
        for (LinkType t : values()) {
            if (t.pcapValue >= 0) {
                BY_VALUE[t.pcapValue] = t;
            }
        }
    }

    private final int pcapValue;

    LinkType(int pcapValue) {
        this.pcapValue = pcapValue;
    }

    public int pcapValue() {
        return pcapValue;
    }

    /** The type of a capture file's link-type field, or of a DLT_ value libpcap reports; {@link #UNKNOWN} if none. */
    public static LinkType fromPcap(int value) {
        LinkType t = value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
        return t == null ? UNKNOWN : t;
    }

    /** True when decap can read frames of this type. */
    public boolean supported() {
        return this != UNKNOWN;
    }
}
