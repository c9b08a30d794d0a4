package io.dbwire.core.tcp;

import io.dbwire.core.decap.IpAddresses;

/**
 * The text form of recently seen IP addresses, so the connections of one server, and of one pooled client host,
 * share one String instead of holding a copy each (about 48 B a connection and side). Direct-mapped and bounded:
 * a collision just formats again. One per tracker, on its thread.
 */
final class AddressNames {
    private static final int SLOTS = 1 << 10;

    private final long[] hi = new long[SLOTS];
    private final long[] lo = new long[SLOTS];
    private final String[] names = new String[SLOTS];

    String format(long addrHi, long addrLo) {
        long h = (addrHi * 0x9E3779B97F4A7C15L) ^ (addrLo * 0xC2B2AE3D27D4EB4FL);
        int slot = (int) (h >>> 54); // the top 10 bits
        String name = names[slot];
        if (name == null || hi[slot] != addrHi || lo[slot] != addrLo) {
            name = IpAddresses.format(addrHi, addrLo);
            names[slot] = name;
            hi[slot] = addrHi;
            lo[slot] = addrLo;
        }
        return name;
    }
}
