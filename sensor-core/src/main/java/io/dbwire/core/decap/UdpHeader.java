package io.dbwire.core.decap;

/**
 * UDP header, RFC 768 (https://www.rfc-editor.org/rfc/rfc768).
 *
 * <pre>
 *  0               16              32
 * +---------------+---------------+
 * | source port   | dest port     |
 * +---------------+---------------+
 * | length        | checksum      |
 * +---------------+---------------+
 * </pre>
 */
final class UdpHeader {
    static final int LENGTH = 8;

    private UdpHeader() {}

    /** Needs {@link #LENGTH} bytes, as do the readers below. */
    static int sourcePort(byte[] b, int off) {
        return Bytes.u16(b, off);
    }

    static int destinationPort(byte[] b, int off) {
        return Bytes.u16(b, off + 2);
    }

    /** Header plus data in bytes; 0 only in IPv6 jumbograms (RFC 2675), where the IP length rules. */
    static int length(byte[] b, int off) {
        return Bytes.u16(b, off + 4);
    }
}
