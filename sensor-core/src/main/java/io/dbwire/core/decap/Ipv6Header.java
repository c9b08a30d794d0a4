package io.dbwire.core.decap;

/**
 * IPv6 fixed header and extension headers, RFC 8200 (https://www.rfc-editor.org/rfc/rfc8200#section-3).
 *
 * <pre>
 *  0                   1                   2                   3
 * +-------+---------------+---------------------------------------+
 * |Version| Traffic Class |              Flow Label               |
 * +-------+---------------+-------+---------------+---------------+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-------------------------------+---------------+---------------+
 * |                 Source Address (16 bytes)                     |
 * |                 Destination Address (16 bytes)                |
 * +---------------------------------------------------------------+
 * Generic extension header (hop-by-hop 0, routing 43, destination options 60, mobility 135, HIP 139, shim6 140):
 * +---------------+---------------+-------------------------------+
 * |  Next Header  |  Hdr Ext Len  |  (Hdr Ext Len + 1) * 8 bytes  |
 * Fragment header (44), 8 bytes:
 * +---------------+---------------+-------------------------+-+-+-+
 * |  Next Header  |   Reserved    |     Fragment Offset     |Res|M|
 * |                        Identification                         |
 * Authentication header (51, RFC 4302): length field is (len + 2) * 4 bytes.
 * </pre>
 */
final class Ipv6Header {
    static final int LENGTH = 40;
    static final int EXTENSION_MIN_LENGTH = 8;
    static final int FRAGMENT_HEADER_LENGTH = 8;

    /** Extension headers walked at most; real traffic has one or two. */
    static final int MAX_EXTENSION_HEADERS = 8;

    static final int HOP_BY_HOP = 0;
    static final int ROUTING = 43;
    static final int FRAGMENT = 44;
    static final int AUTHENTICATION = 51;
    static final int DESTINATION_OPTIONS = 60;
    static final int MOBILITY = 135;
    static final int HIP = 139;
    static final int SHIM6 = 140;

    private Ipv6Header() {}

    /** Needs 1 byte. */
    static int version(byte[] b, int off) {
        return Bytes.u8(b, off) >>> 4;
    }

    /** Bytes after the fixed header (extension headers included). Needs {@link #LENGTH} bytes, as below. */
    static int payloadLength(byte[] b, int off) {
        return Bytes.u16(b, off + 4);
    }

    static int nextHeader(byte[] b, int off) {
        return Bytes.u8(b, off + 6);
    }

    static long sourceHi(byte[] b, int off) {
        return Bytes.u64(b, off + 8);
    }

    static long sourceLo(byte[] b, int off) {
        return Bytes.u64(b, off + 16);
    }

    static long destinationHi(byte[] b, int off) {
        return Bytes.u64(b, off + 24);
    }

    static long destinationLo(byte[] b, int off) {
        return Bytes.u64(b, off + 32);
    }

    /** Extension headers that share the (next header, length in 8-octet units minus one) layout. */
    static boolean isGenericExtension(int nextHeader) {
        return nextHeader == HOP_BY_HOP || nextHeader == ROUTING || nextHeader == DESTINATION_OPTIONS
                || nextHeader == MOBILITY || nextHeader == HIP || nextHeader == SHIM6;
    }

    /** Needs 2 bytes at the extension header. */
    static int extensionNextHeader(byte[] b, int off) {
        return Bytes.u8(b, off);
    }

    /** Length in bytes of a generic extension header. Needs 2 bytes. */
    static int genericExtensionLength(byte[] b, int off) {
        return (Bytes.u8(b, off + 1) + 1) * 8;
    }

    /** Length in bytes of an authentication header (RFC 4302 section 2.2). Needs 2 bytes. */
    static int authenticationLength(byte[] b, int off) {
        return (Bytes.u8(b, off + 1) + 2) * 4;
    }

    /**
     * True when a fragment header describes a real fragment; an "atomic fragment" (offset 0, M clear, RFC 6946)
     * is a whole packet. Needs {@link #FRAGMENT_HEADER_LENGTH} bytes.
     */
    /** Fragment offset in bytes. Needs {@link #FRAGMENT_HEADER_LENGTH} bytes, as do the two below. */
    static int fragmentOffset(byte[] b, int off) {
        return Bytes.u16(b, off + 2) & 0xFFF8;
    }

    static boolean moreFragments(byte[] b, int off) {
        return (Bytes.u8(b, off + 3) & 0x01) != 0;
    }

    static long fragmentIdentification(byte[] b, int off) {
        return Bytes.u32(b, off + 4);
    }

    static boolean isRealFragment(byte[] b, int off) {
        return (Bytes.u16(b, off + 2) & 0xFFF9) != 0;
    }
}
