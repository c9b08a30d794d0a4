package io.dbwire.core.decap;

/**
 * One IEEE 802.1Q / 802.1ad tag as it follows a TPID (https://standards.ieee.org/ieee/802.1Q/10323/). The TPID
 * itself sits where the EtherType would be; the 4 bytes read here are the TCI and the next EtherType (or the
 * next TPID for QinQ).
 *
 * <pre>
 *  0   3 4            16              32
 * +---+-+------------+---------------+
 * |PCP|D| VLAN id    | next type     |
 * +---+-+------------+---------------+
 * </pre>
 */
final class VlanTags {
    static final int LENGTH = 4;

    /** Tags followed at most; QinQ needs 2, a few carrier networks stack 3. Deeper is counted as a drop. */
    static final int MAX_DEPTH = 4;

    static final int TPID_8021Q = 0x8100;
    static final int TPID_8021AD = 0x88A8;
    /** Pre-standard QinQ TPID still emitted by some switches. */
    static final int TPID_QINQ_LEGACY = 0x9100;

    private VlanTags() {}

    static boolean isTpid(int etherType) {
        return etherType == TPID_8021Q || etherType == TPID_8021AD || etherType == TPID_QINQ_LEGACY;
    }

    /** Needs {@link #LENGTH} bytes at {@code off} (the byte after the TPID). */
    static int vlanId(byte[] b, int off) {
        return Bytes.u16(b, off) & 0x0FFF;
    }

    /** Needs {@link #LENGTH} bytes. */
    static int nextEtherType(byte[] b, int off) {
        return Bytes.u16(b, off + 2);
    }
}
