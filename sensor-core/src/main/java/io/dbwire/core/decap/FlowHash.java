package io.dbwire.core.decap;

/**
 * A hash of a packet's connection that is the same for both directions, for sharding flows across engine
 * threads: both halves of a conversation must reach the same TCP reassembler.
 *
 * <p>The two endpoints (address, port) are put in a canonical order before mixing, rather than combined with a
 * commutative operator such as XOR, which would send every flow between equal ports of one host pair, or any
 * flow whose endpoints differ in the same bits, to one value. The mixer is the MurmurHash3 64-bit finaliser.
 */
public final class FlowHash {
    private static final long SEED = 0x9E37_79B9_7F4A_7C15L;
    private static final long MULTIPLIER = 0xC2B2_AE3D_27D4_EB4FL;

    private FlowHash() {}

    public static int symmetric(DecodedPacket p) {
        return symmetric(p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort);
    }

    /**
     * The VNI is deliberately not part of the hash: when both ENIs of a connection are mirrored, its packets
     * arrive twice under two VNIs, and both copies must reach the same tracker to be recognised as copies.
     *
     * @deprecated the {@code vni} argument is ignored; use the six-argument form
     */
    @Deprecated
    public static int symmetric(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort, int vni) {
        return symmetric(aHi, aLo, aPort, bHi, bLo, bPort);
    }

    public static int symmetric(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        boolean aFirst = compare(aHi, aLo, aPort, bHi, bLo, bPort) <= 0;
        long h = SEED;
        if (aFirst) {
            h = absorb(absorb(absorb(h, aHi), aLo), ((long) aPort << 16) | bPort);
            h = absorb(absorb(h, bHi), bLo);
        } else {
            h = absorb(absorb(absorb(h, bHi), bLo), ((long) bPort << 16) | aPort);
            h = absorb(absorb(h, aHi), aLo);
        }
        return (int) (h ^ (h >>> 32));
    }

    private static int compare(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        int c = Long.compareUnsigned(aHi, bHi);
        if (c == 0) {
            c = Long.compareUnsigned(aLo, bLo);
        }
        return c != 0 ? c : Integer.compare(aPort, bPort);
    }

    private static long absorb(long h, long value) {
        return fmix64(h * MULTIPLIER + value);
    }

    /** MurmurHash3 fmix64 (https://github.com/aappleby/smhasher/blob/master/src/MurmurHash3.cpp). */
    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xFF51_AFD7_ED55_8CCDL;
        k ^= k >>> 33;
        k *= 0xC4CE_B9FE_1A85_EC53L;
        k ^= k >>> 33;
        return k;
    }
}
