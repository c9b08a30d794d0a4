package io.dbwire.core.decap;

/**
 * The Linux "cooked" capture headers written by {@code tcpdump -i any}.
 *
 * <p>SLL (https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html), 16 bytes:
 * <pre>
 *  0       2       4       6                      14      16
 * +-------+-------+-------+----------------------+-------+
 * |pkttype|ARPHRD |addrlen| link-layer address   |proto  |
 * +-------+-------+-------+----------------------+-------+
 * </pre>
 * SLL2 (https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html), 20 bytes:
 * <pre>
 *  0       2       4               8       10  11  12                     20
 * +-------+-------+---------------+-------+---+---+----------------------+
 * |proto  |rsvd   | ifindex       |ARPHRD |pkt|len| link-layer address   |
 * +-------+-------+---------------+-------+---+---+----------------------+
 * </pre>
 * The protocol field holds an EtherType for the frames we care about; after it the payload starts directly
 * at the network header (or at an 802.1Q tag if the kernel did not strip it).
 */
final class LinuxCookedHeader {
    static final int SLL_LENGTH = 16;
    static final int SLL2_LENGTH = 20;

    private LinuxCookedHeader() {}

    /** Needs {@link #SLL_LENGTH} bytes. */
    static int sllProtocol(byte[] b, int off) {
        return Bytes.u16(b, off + 14);
    }

    /** Needs {@link #SLL2_LENGTH} bytes. */
    static int sll2Protocol(byte[] b, int off) {
        return Bytes.u16(b, off);
    }
}
