package io.dbwire.core.decap;

import io.dbwire.core.memory.MemoryBudget;
import io.dbwire.core.memory.MemoryConsumer;
import io.dbwire.core.memory.ShedReason;
import io.dbwire.core.util.ReasonCounters;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * IPv4 (RFC 791 section 3.2) and IPv6 (RFC 8200 section 4.5) fragment reassembly, bounded in datagrams, bytes
 * and packet time. Only fragments reach this table, so unfragmented traffic never allocates here; a fragment may.
 *
 * <p>Datagrams are keyed by version, addresses, identification and (IPv4) protocol, not by VNI: the two mirror
 * copies of one fragment, arriving in two sessions, merge into one datagram (the first copy of each byte wins).
 * Overlapping bytes that differ from what is held are counted {@link DecapOutcome#FRAGMENT_OVERLAP_CONFLICT}
 * (a classic IDS evasion); RFC 5722 would drop the datagram, but a sensor keeps the copy the endpoint most
 * likely kept, the first.
 *
 * <p>A completed datagram stays in the table, holding its bytes, until its timeout: late mirror copies of its
 * fragments are then recognised as duplicates instead of starting a datagram that can only expire. A fragment
 * that disagrees with a completed datagram means the identification was reused: the old one is dropped.
 *
 * <p>Insertion order is age order, so expiry and eviction take the head of the map. Datagrams and their buffers
 * also draw from the shard's {@link MemoryBudget}: when it is short, the oldest datagrams other than the one being
 * filled are dropped first (counted {@code memory.fragment_dropped} as well as {@code fragment_evicted}).
 */
final class FragmentTable {
    /** Largest reassembled payload: the IP length fields are 16 bits. */
    static final int MAX_DATAGRAM = 65_535;
    /** Disjoint byte ranges held per datagram before its fragments are refused (a tiny-fragment flood). */
    static final int MAX_RANGES = 64;
    /** Heap of a datagram beyond its buffer: the object, its two range arrays, its key and map entry. */
    static final int DATAGRAM_OVERHEAD_BYTES = 2 * (16 + 4 * MAX_RANGES) + 200;

    enum Result { HELD, DUPLICATE, INVALID, COMPLETE }

    static final class Datagram {
        final long createdMicros;
        byte[] buf = new byte[0];
        /** Payload length, known once the last fragment (MF clear) arrived; -1 until then. */
        int length = -1;
        /** IPv6: next header of the fragmentable part, from the fragment at offset 0; -1 until then. */
        int nextHeader = -1;
        final int[] starts = new int[MAX_RANGES];
        final int[] ends = new int[MAX_RANGES];
        int ranges;
        boolean complete;

        Datagram(long createdMicros) {
            this.createdMicros = createdMicros;
        }
    }

    private final int maxDatagrams;
    private final long maxBytes;
    private final long timeoutMicros;
    private final ReasonCounters<DecapOutcome> counters;
    private final MemoryBudget memory;
    private final LinkedHashMap<FragmentKey, Datagram> datagrams = new LinkedHashMap<>();
    private long bytesHeld;
    private long nextExpiry = Long.MAX_VALUE;
    private Datagram completed;

    FragmentTable(FragmentLimits limits, ReasonCounters<DecapOutcome> counters) {
        this(limits, counters, MemoryBudget.unlimited());
    }

    FragmentTable(FragmentLimits limits, ReasonCounters<DecapOutcome> counters, MemoryBudget memory) {
        this.memory = memory;
        this.maxDatagrams = Math.max(1, limits.maxDatagrams());
        this.maxBytes = Math.max(MAX_DATAGRAM, limits.maxBytes());
        this.timeoutMicros = Math.max(1, limits.timeoutMicros());
        this.counters = counters;
    }

    int size() {
        return datagrams.size();
    }

    long bytesHeld() {
        return bytesHeld;
    }

    /** The datagram the last {@link Result#COMPLETE} finished: payload {@code buf[0, length)}. */
    Datagram completed() {
        return completed;
    }

    /** Cheap per-packet check (no allocation unless something expires): drops datagrams past their timeout. */
    void expire(long now) {
        if (datagrams.isEmpty() || (now < nextExpiry && now > nextExpiry - 2 * timeoutMicros)) {
            return; // the second test catches packet time that jumped backwards (concatenated captures)
        }
        Iterator<Datagram> it = datagrams.values().iterator();
        while (it.hasNext()) {
            Datagram d = it.next();
            long age = now - d.createdMicros;
            if (age < timeoutMicros && age > -timeoutMicros) {
                break;
            }
            it.remove();
            release(d, DecapOutcome.FRAGMENT_TIMEOUT);
        }
        updateNextExpiry();
    }

    /**
     * Adds the fragment {@code b[off, off + len)} at byte {@code fragOffset} of datagram {@code key}.
     *
     * @param more       the MF flag: more fragments follow (so this one's length must be a multiple of 8)
     * @param nextHeader IPv6 next header from the fragment header (kept from offset 0), -1 for IPv4
     */
    Result add(FragmentKey key, int fragOffset, boolean more, byte[] b, int off, int len, int nextHeader, long now) {
        int end = fragOffset + len;
        if (len <= 0 || end > MAX_DATAGRAM || (more && (len & 7) != 0)) {
            return Result.INVALID;
        }
        Datagram d = datagrams.get(key);
        if (d != null && d.complete) {
            boolean sameShape = !more == (end == d.length) && end <= d.length;
            if (sameShape && Arrays.equals(d.buf, fragOffset, end, b, off, off + len)) {
                return Result.DUPLICATE;
            }
            datagrams.remove(key); // identification reused for a new datagram
            release(d, null);
            d = null;
        }
        if (d == null) {
            while (datagrams.size() >= maxDatagrams) {
                evictOldest();
            }
            makeRoom(DATAGRAM_OVERHEAD_BYTES, null);
            memory.charge(MemoryConsumer.FRAGMENTS, DATAGRAM_OVERHEAD_BYTES);
            d = new Datagram(now);
            datagrams.put(key, d);
            updateNextExpiry();
        }
        if (d.length >= 0 ? end > d.length || (!more && end != d.length) : !more && d.ranges > 0
                && d.ends[d.ranges - 1] > end) {
            return Result.INVALID; // data beyond the end, or two different ends
        }
        if (!more) {
            d.length = end;
        }
        if (fragOffset == 0 && d.nextHeader < 0) {
            d.nextHeader = nextHeader;
        }
        int added = merge(d, fragOffset, b, off, len);
        if (added < 0) {
            return Result.INVALID;
        }
        if (d.length >= 0 && d.ranges == 1 && d.starts[0] == 0 && d.ends[0] == d.length) {
            d.complete = true;
            completed = d;
            return Result.COMPLETE;
        }
        return added == 0 ? Result.DUPLICATE : Result.HELD;
    }

    /** Compares overlaps, copies the bytes that fall into holes and merges the ranges; -1 if too fragmented. */
    private int merge(Datagram d, int start, byte[] b, int off, int len) {
        int end = start + len;
        int pos = start;
        int added = 0;
        boolean conflict = false;
        for (int i = 0; i < d.ranges && pos < end; i++) {
            int rs = d.starts[i];
            int re = d.ends[i];
            if (re <= pos) {
                continue;
            }
            if (rs >= end) {
                break;
            }
            if (rs > pos) {
                added += copy(d, pos, rs, b, off + pos - start);
            }
            int os = Math.max(pos, rs);
            int oe = Math.min(end, re);
            conflict |= Arrays.mismatch(d.buf, os, oe, b, off + os - start, off + oe - start) >= 0;
            pos = Math.max(pos, re);
        }
        if (pos < end) {
            if (!hasRoomForRange(d, start, end)) {
                return -1;
            }
            added += copy(d, pos, end, b, off + pos - start);
        }
        if (conflict) {
            counters.increment(DecapOutcome.FRAGMENT_OVERLAP_CONFLICT);
        }
        union(d, start, end);
        return added;
    }

    private static boolean hasRoomForRange(Datagram d, int start, int end) {
        if (d.ranges < MAX_RANGES) {
            return true;
        }
        for (int i = 0; i < d.ranges; i++) {
            if (d.starts[i] <= end && d.ends[i] >= start) {
                return true; // touches an existing range: the union does not add one
            }
        }
        return false;
    }

    private int copy(Datagram d, int from, int to, byte[] b, int srcOff) {
        ensureCapacity(d, to);
        System.arraycopy(b, srcOff, d.buf, from, to - from);
        return to - from;
    }

    /** Adds {@code [start, end)} to the sorted disjoint ranges, joining those it touches. */
    private static void union(Datagram d, int start, int end) {
        int i = 0;
        while (i < d.ranges && d.ends[i] < start) {
            i++;
        }
        int j = i;
        int s = start;
        int e = end;
        while (j < d.ranges && d.starts[j] <= end) {
            s = Math.min(s, d.starts[j]);
            e = Math.max(e, d.ends[j]);
            j++;
        }
        int removed = j - i;
        if (removed == 0) {
            System.arraycopy(d.starts, i, d.starts, i + 1, d.ranges - i);
            System.arraycopy(d.ends, i, d.ends, i + 1, d.ranges - i);
            d.ranges++;
        } else if (removed > 1) {
            System.arraycopy(d.starts, j, d.starts, i + 1, d.ranges - j);
            System.arraycopy(d.ends, j, d.ends, i + 1, d.ranges - j);
            d.ranges -= removed - 1;
        }
        d.starts[i] = s;
        d.ends[i] = e;
    }

    /** Grows the buffer (doubling, or exactly to the known length), charging the byte bound and evicting. */
    private void ensureCapacity(Datagram d, int needed) {
        if (d.buf.length >= needed) {
            return;
        }
        int capacity = d.length >= 0 ? d.length
                : Math.min(MAX_DATAGRAM, Math.max(needed, Math.max(2048, d.buf.length * 2)));
        makeRoom(capacity - d.buf.length, d);
        memory.charge(MemoryConsumer.FRAGMENTS, capacity - d.buf.length);
        bytesHeld += capacity - d.buf.length;
        d.buf = Arrays.copyOf(d.buf, capacity);
        // Oldest first, never the datagram being filled (at most MAX_DATAGRAM, below maxBytes on its own).
        Iterator<Datagram> it = datagrams.values().iterator();
        while (bytesHeld > maxBytes && it.hasNext()) {
            Datagram victim = it.next();
            if (victim != d) {
                it.remove();
                release(victim, DecapOutcome.FRAGMENT_EVICTED);
            }
        }
        updateNextExpiry();
    }

    /**
     * Drops the oldest datagrams other than {@code keep} while the memory budget has less than {@code bytes}
     * left; what is then still short is charged anyway (at most one datagram) and shed elsewhere.
     */
    private void makeRoom(long bytes, Datagram keep) {
        if (memory.room(MemoryConsumer.FRAGMENTS) >= bytes) {
            return;
        }
        Iterator<Datagram> it = datagrams.values().iterator();
        while (memory.room(MemoryConsumer.FRAGMENTS) < bytes && it.hasNext()) {
            Datagram victim = it.next();
            if (victim != keep) {
                it.remove();
                memory.shed(ShedReason.FRAGMENT_DROPPED);
                release(victim, DecapOutcome.FRAGMENT_EVICTED);
            }
        }
        updateNextExpiry();
    }

    private void evictOldest() {
        Iterator<Datagram> it = datagrams.values().iterator();
        Datagram d = it.next();
        it.remove();
        release(d, DecapOutcome.FRAGMENT_EVICTED);
        updateNextExpiry();
    }

    /** Frees a datagram's bytes; counts {@code reason} if it was dropped before it completed. */
    private void release(Datagram d, DecapOutcome reason) {
        bytesHeld -= d.buf.length;
        memory.release(MemoryConsumer.FRAGMENTS, d.buf.length + (long) DATAGRAM_OVERHEAD_BYTES);
        if (reason != null && !d.complete) {
            counters.increment(reason);
        }
    }

    private void updateNextExpiry() {
        nextExpiry = datagrams.isEmpty() ? Long.MAX_VALUE
                : datagrams.values().iterator().next().createdMicros + timeoutMicros;
    }
}
