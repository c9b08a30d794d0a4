package io.dbwire.core.decap;

/**
 * The link headers that carry IP directly, without Ethernet: where the IP packet starts and which IP it is.
 * Each type's layout is in https://www.tcpdump.org/linktypes.html; the byte order of the BSD address-family
 * headers is the writing host's, so it is read whichever way gives a byte-sized value (as Wireshark does).
 *
 * <p>{@link #headerLength} answers {@link #TRUNCATED} when the header was not captured whole; {@link #protocol}
 * answers an EtherType ({@link EthernetHeader#TYPE_IPV4}, {@link EthernetHeader#TYPE_IPV6}, or another one for
 * a non-IP frame), or {@link #BY_VERSION} when the IP version nibble decides.
 */
final class LinkHeaders {
    static final int TRUNCATED = -1;
    static final int BY_VERSION = -2;
    /** The EtherType answered for a frame that names a non-IP protocol. */
    static final int NOT_IP = 0;

    private static final int ADDRESS_FAMILY_LENGTH = 4;
    /** enc(4): af, spi, flags, 4 bytes each (OpenBSD net/if_enc.h). */
    private static final int ENC_LENGTH = 12;
    private static final int NFLOG_HEADER_LENGTH = 4;
    private static final int NFLOG_TLV_HEADER_LENGTH = 4;
    /** NFULA_PAYLOAD (linux/netfilter/nfnetlink_log.h): the TLV holding the packet. */
    private static final int NFLOG_PAYLOAD = 9;
    private static final int NFLOG_MAX_TLVS = 64;
    /** pth_length and pth_type_next (Darwin net/pktap.h), then the rest of the header. */
    static final int PKTAP_MIN_LENGTH = 8;
    private static final int PPP_IPV4 = 0x0021;
    private static final int PPP_IPV6 = 0x0057;

    private LinkHeaders() {}

    /** Bytes of link header before the network header, or {@link #TRUNCATED}. */
    static int headerLength(LinkType type, byte[] b, int off, int end) {
        int captured = end - off;
        switch (type) {
            case RAW:
            case RAW_14:
            case IPV4:
            case IPV6:
                return 0;
            case RAW_12:
                if (captured < 1) {
                    return TRUNCATED;
                }
                return looksLikeIp(b, off) ? 0 : fixed(ADDRESS_FAMILY_LENGTH, captured);
            case NULL:
            case LOOP:
                return fixed(ADDRESS_FAMILY_LENGTH, captured);
            case ENC:
                return fixed(ENC_LENGTH, captured);
            case PPP:
            case PPP_SERIAL:
                return pppLength(b, off, captured);
            case C_HDLC:
                return fixed(4, captured);
            case PFLOG:
                return pflogLength(b, off, captured);
            case NFLOG:
                return nflogPayloadOffset(b, off, end);
            case PKTAP:
                return pktapLength(b, off, captured);
            default:
                return TRUNCATED;
        }
    }

    /** What the network header at {@code off + headerLength} is; call only after {@link #headerLength} succeeded. */
    static int protocol(LinkType type, byte[] b, int off, int headerLength) {
        switch (type) {
            case IPV4:
                return EthernetHeader.TYPE_IPV4;
            case IPV6:
                return EthernetHeader.TYPE_IPV6;
            case RAW_12:
                return headerLength == 0 ? BY_VERSION : addressFamily(b, off);
            case NULL:
            case LOOP:
            case ENC:
                return addressFamily(b, off);
            case PPP:
            case PPP_SERIAL:
                return pppProtocol(b, off, headerLength);
            case C_HDLC:
                return Bytes.u16(b, off + 2);
            case PFLOG:
                return familyToEtherType(Bytes.u8(b, off + 1));
            default:
                return BY_VERSION;
        }
    }

    /** The link type of the frame inside a PKTAP header (its pth_type_next, host byte order). */
    static LinkType pktapInner(byte[] b, int off) {
        return LinkType.fromPcap((int) hostOrder32(b, off + 4));
    }

    private static boolean looksLikeIp(byte[] b, int off) {
        int version = Ipv4Header.version(b, off);
        return version == 4 || version == 6;
    }

    private static int fixed(int length, int captured) {
        return captured < length ? TRUNCATED : length;
    }

    /** A 32-bit address family, host byte order: BSD AF_INET is 2, AF_INET6 10 (Linux), 24, 28 or 30 (BSDs, macOS). */
    private static int addressFamily(byte[] b, int off) {
        return familyToEtherType((int) hostOrder32(b, off));
    }

    private static int familyToEtherType(long family) {
        if (family == 2) {
            return EthernetHeader.TYPE_IPV4;
        }
        if (family == 10 || family == 23 || family == 24 || family == 28 || family == 30) {
            return EthernetHeader.TYPE_IPV6;
        }
        return NOT_IP;
    }

    /**
     * A small 32-bit value written in either byte order: little-endian when its high bytes are zero that way,
     * otherwise big-endian.
     */
    private static long hostOrder32(byte[] b, int off) {
        long bigEndian = Bytes.u32(b, off);
        long littleEndian = Long.reverseBytes(bigEndian << 32) & 0xFFFF_FFFFL;
        return littleEndian <= 0xFFFF ? littleEndian : bigEndian;
    }

    private static int pppLength(byte[] b, int off, int captured) {
        int pos = captured >= 2 && Bytes.u8(b, off) == 0xFF && Bytes.u8(b, off + 1) == 0x03 ? 2 : 0;
        if (captured < pos + 1) {
            return TRUNCATED;
        }
        // RFC 1661 protocol field compression: an odd first byte is a one-byte protocol.
        int length = (Bytes.u8(b, off + pos) & 1) == 1 ? pos + 1 : pos + 2;
        return captured < length ? TRUNCATED : length;
    }

    private static int pppProtocol(byte[] b, int off, int headerLength) {
        int protocolBytes = (headerLength & 1) == 1 ? 1 : 2;
        int protocol = protocolBytes == 1 ? Bytes.u8(b, off + headerLength - 1) : Bytes.u16(b, off + headerLength - 2);
        if (protocol == PPP_IPV4) {
            return EthernetHeader.TYPE_IPV4;
        }
        return protocol == PPP_IPV6 ? EthernetHeader.TYPE_IPV6 : NOT_IP;
    }

    /** pfloghdr: its first byte is the header length without the padding to a 4-byte boundary (BPF_WORDALIGN). */
    private static int pflogLength(byte[] b, int off, int captured) {
        if (captured < 2) {
            return TRUNCATED;
        }
        int length = (Bytes.u8(b, off) + 3) & ~3;
        return length < 4 || captured < length ? TRUNCATED : length;
    }

    private static int pktapLength(byte[] b, int off, int captured) {
        if (captured < PKTAP_MIN_LENGTH) {
            return TRUNCATED;
        }
        long length = hostOrder32(b, off);
        return length < PKTAP_MIN_LENGTH || length > captured ? TRUNCATED : (int) length;
    }

    /**
     * NFLOG (https://www.tcpdump.org/linktypes/LINKTYPE_NFLOG.html): family, version, resource id, then TLVs whose
     * length and type are in host byte order, each padded to 4 bytes. The packet is the NFULA_PAYLOAD value.
     */
    private static int nflogPayloadOffset(byte[] b, int off, int end) {
        int pos = off + NFLOG_HEADER_LENGTH;
        for (int i = 0; i < NFLOG_MAX_TLVS && end - pos >= NFLOG_TLV_HEADER_LENGTH; i++) {
            // Types are below 256: the zero byte of the type field shows the writer's byte order.
            boolean bigEndian = b[pos + 2] == 0;
            int length = bigEndian ? Bytes.u16(b, pos) : Bytes.u16le(b, pos);
            int type = (bigEndian ? Bytes.u16(b, pos + 2) : Bytes.u16le(b, pos + 2)) & 0x7FFF; // top bit: nested
            if (length < NFLOG_TLV_HEADER_LENGTH) {
                return TRUNCATED;
            }
            if (type == NFLOG_PAYLOAD) {
                return pos + NFLOG_TLV_HEADER_LENGTH - off;
            }
            pos += (length + 3) & ~3;
        }
        return TRUNCATED;
    }
}
