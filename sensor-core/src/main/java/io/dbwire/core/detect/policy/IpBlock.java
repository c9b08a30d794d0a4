package io.dbwire.core.detect.policy;

/**
 * One CIDR block, IPv4 or IPv6, held as 128 bits (IPv4 as IPv4-mapped {@code ::ffff:a.b.c.d}, the way records'
 * addresses are compared). Parsed by hand: the core may not use {@code java.net} (CoreIsPureTest).
 */
record IpBlock(long hi, long lo, int prefix) {

    /** {@code 10.0.0.0/8}, {@code 2001:db8::/32}, or a single address. */
    static IpBlock parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        long[] a = address(addr);
        if (a == null) {
            throw new IllegalArgumentException(text + " (expected: an IPv4 or IPv6 address or CIDR)");
        }
        boolean v4 = addr.indexOf(':') < 0;
        int max = v4 ? 32 : 128;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException(text + " (expected: a prefix length 0.." + max + ")");
            }
        }
        int bits = v4 ? prefix + 96 : prefix;
        return new IpBlock(a[0] & mask(bits), a[1] & mask(bits - 64), bits);
    }

    /** Whether the address (as records write it) is inside the block; an unreadable address is not. */
    boolean contains(String ip) {
        long[] a = ip == null ? null : address(ip);
        return a != null && (a[0] & mask(prefix)) == hi && (a[1] & mask(prefix - 64)) == lo;
    }

    /** The top {@code bits} bits of a 64-bit half set (0 or less: none, 64 or more: all). */
    private static long mask(int bits) {
        if (bits <= 0) {
            return 0L;
        }
        return bits >= 64 ? -1L : -1L << (64 - bits);
    }

    /** 128 bits of an IPv4 or IPv6 literal, or null. */
    static long[] address(String s) {
        if (s.indexOf(':') < 0) {
            long v4 = ipv4(s);
            return v4 < 0 ? null : new long[] {0L, 0xffff_0000_0000L | v4};
        }
        return ipv6(s);
    }

    private static long ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return -1;
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return -1;
            }
            int octet = Integer.parseInt(p);
            if (octet > 255) {
                return -1;
            }
            v = v << 8 | octet;
        }
        return v;
    }

    private static long[] ipv6(String s) {
        int zone = s.indexOf('%');
        String t = zone < 0 ? s : s.substring(0, zone);
        int gap = t.indexOf("::");
        if (gap >= 0 && t.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        int[] head = groups(gap < 0 ? t : t.substring(0, gap));
        int[] tail = gap < 0 ? new int[0] : groups(t.substring(gap + 2));
        if (head == null || tail == null || head.length + tail.length > (gap < 0 ? 8 : 7)
                || (gap < 0 && head.length != 8)) {
            return null;
        }
        int[] all = new int[8];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, 8 - tail.length, tail.length);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 4; i++) {
            hi = hi << 16 | all[i];
            lo = lo << 16 | all[i + 4];
        }
        return new long[] {hi, lo};
    }

    /** 16-bit groups of one side of {@code ::}; a trailing dotted quad counts as two. */
    private static int[] groups(String side) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] parts = side.split(":", -1);
        int n = parts.length;
        boolean quad = parts[n - 1].indexOf('.') >= 0;
        int[] out = new int[quad ? n + 1 : n];
        for (int i = 0; i < n; i++) {
            String p = parts[i];
            if (quad && i == n - 1) {
                long v4 = ipv4(p);
                if (v4 < 0) {
                    return null;
                }
                out[i] = (int) (v4 >>> 16);
                out[i + 1] = (int) (v4 & 0xffff);
            } else {
                if (p.isEmpty() || p.length() > 4) {
                    return null;
                }
                try {
                    out[i] = Integer.parseInt(p, 16);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return out;
    }
}
