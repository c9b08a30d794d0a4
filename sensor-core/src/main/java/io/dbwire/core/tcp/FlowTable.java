package io.dbwire.core.tcp;

/**
 * Flows by canonical key: open addressing with linear probing over an array kept at least twice the number of
 * flows (it doubles as flows arrive, up to twice the flow bound, and never shrinks), so a lookup allocates
 * nothing and probes stay short. Deletion shifts later entries back instead of leaving
 * tombstones (Knuth, TAOCP vol. 3, 6.4 algorithm R). An intrusive doubly linked list orders the flows from least
 * to most recently active, for eviction at the bound and for idle expiry without a full scan.
 */
final class FlowTable {
    /** First size of the slot array: a small capture or a quiet sensor does not hold a table for its bound. */
    static final int INITIAL_CAPACITY = 1 << 12;

    private Flow[] slots;
    private int mask;
    private final int maxCapacity;
    private int size;
    private Flow lruHead;
    private Flow lruTail;
    /**
     * The idle trim's place in the LRU list: this flow and every one before it were trimmed while quiet (and have
     * not been active since, or they would have moved to the tail). Null: start at the head.
     */
    private Flow trimmedUpTo;

    FlowTable(int maxFlows) {
        maxCapacity = Integer.highestOneBit(Math.max(4, Math.min(maxFlows, 1 << 28)) * 2 - 1) << 1; // power of two >= 2 * maxFlows
        int capacity = Math.min(maxCapacity, INITIAL_CAPACITY);
        slots = new Flow[capacity];
        mask = capacity - 1;
    }

    /** The VNI is not hashed: see {@link Flow}. */
    static int hash(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        long h = aHi * 0x9E3779B97F4A7C15L;
        h = (h ^ aLo) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ bHi) * 0x9E3779B97F4A7C15L;
        h = (h ^ bLo) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ (((long) aPort << 16) | bPort)) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29; // fmix64-style finaliser: the low bits index the table
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int) h;
    }

    int size() {
        return size;
    }

    /** Slots in the open-addressing array now (a reference each). */
    int capacity() {
        return slots.length;
    }

    Flow find(int hash, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            Flow f = slots[i];
            if (f == null) {
                return null;
            }
            if (f.hash == hash && f.matches(aHi, aLo, aPort, bHi, bLo, bPort)) {
                return f;
            }
        }
    }

    /** Adds a flow not yet present, as the most recently active. The caller keeps size below the bound. */
    void insert(Flow f) {
        if (2 * (size + 1) > slots.length && slots.length < maxCapacity) {
            grow();
        }
        int i = f.hash & mask;
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = f;
        size++;
        linkTail(f);
    }

    /** Doubles the slot array and places every flow again (the LRU links are untouched). */
    private void grow() {
        Flow[] old = slots;
        slots = new Flow[old.length * 2];
        mask = slots.length - 1;
        for (Flow f : old) {
            if (f != null) {
                int i = f.hash & mask;
                while (slots[i] != null) {
                    i = (i + 1) & mask;
                }
                slots[i] = f;
            }
        }
    }

    void remove(Flow f) {
        int i = f.hash & mask;
        while (slots[i] != f) {
            if (slots[i] == null) {
                return; // not present
            }
            i = (i + 1) & mask;
        }
        slots[i] = null;
        size--;
        unlink(f);
        // Shift back every later entry of the probe run whose home slot is not cyclically within (i, j].
        for (int j = (i + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
            int home = slots[j].hash & mask;
            boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!stays) {
                slots[i] = slots[j];
                slots[j] = null;
                i = j;
            }
        }
    }

    void touch(Flow f) {
        if (lruTail != f) {
            unlink(f);
            linkTail(f);
        } else if (f == trimmedUpTo) {
            trimmedUpTo = f.lruPrev; // active again where it is: the trim must reach it when it is next quiet
        }
    }

    /** The least recently active flow, or null when empty. */
    Flow oldest() {
        return lruHead;
    }

    /** The least recently active flow the idle trim has not reached yet, or null. */
    Flow nextToTrim() {
        return trimmedUpTo == null ? lruHead : trimmedUpTo.lruNext;
    }

    /** The idle trim has dealt with {@code f} (returned by {@link #nextToTrim}). */
    void trimmed(Flow f) {
        trimmedUpTo = f;
    }

    private void linkTail(Flow f) {
        f.lruPrev = lruTail;
        f.lruNext = null;
        if (lruTail == null) {
            lruHead = f;
        } else {
            lruTail.lruNext = f;
        }
        lruTail = f;
    }

    private void unlink(Flow f) {
        if (f == trimmedUpTo) {
            trimmedUpTo = f.lruPrev; // active again or gone: the trim cursor steps back
        }
        if (f.lruPrev == null) {
            lruHead = f.lruNext;
        } else {
            f.lruPrev.lruNext = f.lruNext;
        }
        if (f.lruNext == null) {
            lruTail = f.lruPrev;
        } else {
            f.lruNext.lruPrev = f.lruPrev;
        }
        f.lruPrev = null;
        f.lruNext = null;
    }
}
