package io.dbwire.core.decap;

/**
 * VXLAN header, RFC 7348 section 5 (https://www.rfc-editor.org/rfc/rfc7348#section-5). Recognised by the outer
 * UDP destination port only (AWS Traffic Mirroring: 4789), as Suricata does.
 *
 * <pre>
 *  0               8                               32
 * +-+-+-+-+-+-+-+-+-------------------------------+
 * |R|R|R|R|I|R|R|R|          Reserved             |
 * +-+-+-+-+-+-+-+-+---------------+---------------+
 * |     VXLAN Network Identifier  |   Reserved    |
 * +-------------------------------+---------------+
 * | inner Ethernet frame ...
 * </pre>
 * Reserved bits are ignored on receipt, as the RFC requires; only the I bit must be set.
 */
final class VxlanHeader {
    static final int LENGTH = 8;
    static final int FLAG_VNI_VALID = 0x08;

    private VxlanHeader() {}

    /** Needs {@link #LENGTH} bytes, as do the readers below. */
    static boolean vniValid(byte[] b, int off) {
        return (Bytes.u8(b, off) & FLAG_VNI_VALID) != 0;
    }

    /** 24-bit VXLAN network identifier. */
    static int vni(byte[] b, int off) {
        return Bytes.u24(b, off + 4);
    }
}
