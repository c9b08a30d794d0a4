package io.dbwire.core.tcp;

/**
 * Text form of a 128-bit address as the decap layer stores it: IPv4-mapped ({@code ::ffff:a.b.c.d}) becomes a
 * dotted quad, anything else RFC 5952 text (lower case, no leading zeros, the longest run of two or more zero
 * groups as {@code ::}, the first such run on a tie). Private copy until decap's {@code IpAddresses} is merged.
 */
final class AddressText {
    private AddressText() {}

    static String format(long hi, long lo) {
        if (hi == 0L && (lo >>> 32) == 0xFFFFL) {
            return ((lo >>> 24) & 0xFF) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) ((hi >>> (48 - 16 * i)) & 0xFFFF);
            groups[4 + i] = (int) ((lo >>> (48 - 16 * i)) & 0xFFFF);
        }
        // RFC 5952 section 4.2: compress the longest run of zero groups, only if it spans at least two groups.
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }
}
