package io.dbwire.core.decap;

/**
 * Text forms of the 128-bit addresses in {@link DecodedPacket}. Not on the per-packet path: called once per
 * connection when records are built.
 */
public final class IpAddresses {
    /** {@code ::ffff:0:0/96} in the low long: an IPv4 address {@code a.b.c.d} is stored as {@code lo = this | abcd}. */
    public static final long IPV4_MAPPED_PREFIX = 0x0000_FFFF_0000_0000L;

    private IpAddresses() {}

    public static boolean isIpv4Mapped(long hi, long lo) {
        return hi == 0L && (lo & 0xFFFF_FFFF_0000_0000L) == IPV4_MAPPED_PREFIX;
    }

    /**
     * An IPv4-mapped address as a dotted quad ({@code 10.0.0.1}); anything else in the RFC 5952 canonical form
     * (https://www.rfc-editor.org/rfc/rfc5952#section-4): lower-case hex, no leading zeros, the longest run of two
     * or more zero groups (the first on a tie) shown as {@code ::}.
     */
    public static String format(long hi, long lo) {
        if (isIpv4Mapped(hi, lo)) {
            return formatIpv4(lo & 0xFFFF_FFFFL);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) (hi >>> (48 - 16 * i)) & 0xFFFF;
            groups[4 + i] = (int) (lo >>> (48 - 16 * i)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is never compressed (RFC 5952 section 4.2.2)
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    /** {@code a.b.c.d} from the low 32 bits. */
    public static String formatIpv4(long address) {
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF);
    }
}
