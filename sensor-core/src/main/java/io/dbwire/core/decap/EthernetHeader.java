package io.dbwire.core.decap;

/**
 * Ethernet II header (IEEE 802.3 clause 3.2.6, https://standards.ieee.org/ieee/802.3/10422/). The frame check
 * sequence is never present in captures.
 *
 * <pre>
 *  0                   6                  12      14
 * +-------------------+-------------------+-------+-----
 * | destination MAC   | source MAC        | type  | payload (or 802.1Q tag when type is a TPID)
 * +-------------------+-------------------+-------+-----
 * </pre>
 */
final class EthernetHeader {
    static final int LENGTH = 14;

    /** Values below this are an IEEE 802.3 length field (LLC/SNAP frame), not an EtherType. */
    static final int MIN_ETHER_TYPE = 0x0600;

    /** EtherTypes, https://www.iana.org/assignments/ieee-802-numbers/ieee-802-numbers.xhtml */
    static final int TYPE_IPV4 = 0x0800;
    static final int TYPE_ARP = 0x0806;
    static final int TYPE_IPV6 = 0x86DD;
    /** Transparent Ethernet bridging: the GENEVE protocol type for an inner Ethernet frame. */
    static final int TYPE_TRANSPARENT_ETHERNET = 0x6558;

    private EthernetHeader() {}

    /** Needs {@link #LENGTH} bytes at {@code off}. */
    static int etherType(byte[] b, int off) {
        return Bytes.u16(b, off + 12);
    }
}
