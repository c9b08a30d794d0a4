package io.dbwire.core.decap;

/**
 * TCP header, RFC 9293 section 3.1 (https://www.rfc-editor.org/rfc/rfc9293#section-3.1).
 *
 * <pre>
 *  0                   1                   2                   3
 * +-------------------------------+-------------------------------+
 * |          Source Port          |       Destination Port        |
 * +-------------------------------+-------------------------------+
 * |                        Sequence Number                        |
 * +---------------------------------------------------------------+
 * |                    Acknowledgment Number                      |
 * +-------+-------+---------------+-------------------------------+
 * | Data  |  Rsvd |C E U A P R S F|            Window             |
 * | Offset|       |W C R C S S Y I|                               |
 * +-------+-------+---------------+-------------------------------+
 * |           Checksum            |        Urgent Pointer         |
 * +-------------------------------+-------------------------------+
 * |                  Options (data offset > 5)                    |
 * </pre>
 */
final class TcpHeader {
    static final int MIN_LENGTH = 20;
    /** Window, checksum, urgent pointer and options follow from here. */
    static final int WINDOW_OFFSET = 14;

    private TcpHeader() {}

    /** Needs {@link #MIN_LENGTH} bytes, as do all readers here. */
    static int sourcePort(byte[] b, int off) {
        return Bytes.u16(b, off);
    }

    static int destinationPort(byte[] b, int off) {
        return Bytes.u16(b, off + 2);
    }

    /** Unsigned 32-bit. */
    static long sequence(byte[] b, int off) {
        return Bytes.u32(b, off + 4);
    }

    /** Unsigned 32-bit. */
    static long acknowledgement(byte[] b, int off) {
        return Bytes.u32(b, off + 8);
    }

    /** Header length in bytes (data offset times 4, options included). */
    static int headerLength(byte[] b, int off) {
        return (Bytes.u8(b, off + 12) >>> 4) * 4;
    }

    /** CWR ECE URG ACK PSH RST SYN FIN, as in {@link DecodedPacket#tcpFlags}. */
    static int flags(byte[] b, int off) {
        return Bytes.u8(b, off + 13);
    }
}
