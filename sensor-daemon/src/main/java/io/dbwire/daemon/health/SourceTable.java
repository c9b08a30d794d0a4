package io.dbwire.daemon.health;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Mirror sources seen by one UDP listener: per VNI and outer source address, packets, bytes, first and last
 * receipt time. One writer (the listener's event-loop thread), any number of readers. Open addressing on a
 * primitive key, so a datagram from a known source allocates nothing; beyond {@code capacity} sources new ones
 * are only counted ({@link #untracked()}).
 */
public final class SourceTable {
    private static final int PROBES = 16;

    private final int mask;
    private final int capacity;
    private final AtomicLongArray keys;
    private final AtomicReferenceArray<Slot> slots;
    private final AtomicLong untracked = new AtomicLong();
    private int size;

    public SourceTable(int capacity) {
        this.capacity = capacity;
        int tableSize = Integer.highestOneBit(Math.max(16, capacity * 2 - 1)) << 1;
        this.mask = tableSize - 1;
        this.keys = new AtomicLongArray(tableSize);
        this.slots = new AtomicReferenceArray<>(tableSize);
    }

    /** One datagram from {@code sender} carrying {@code vni} (-1 when the payload is too short to hold one). */
    public void record(InetAddress sender, int vni, int bytes, long micros) {
        // Inet4Address.hashCode() is the address itself; an IPv6 sender is told apart by its hash (and family bit).
        long key = ((long) (vni & 0xffffff) << 33) | ((sender instanceof Inet4Address ? 0L : 1L) << 32)
                | (sender.hashCode() & 0xffffffffL);
        int i = mix(key) & mask;
        for (int probe = 0; probe < PROBES; probe++, i = (i + 1) & mask) {
            Slot s = slots.get(i);
            if (s == null) {
                if (size >= capacity) {
                    break;
                }
                s = new Slot(sender, vni, micros);
                keys.set(i, key);
                slots.set(i, s); // published after its key
                size++;
            } else if (keys.get(i) != key) {
                continue;
            }
            s.packets.lazySet(s.packets.get() + 1);
            s.bytes.lazySet(s.bytes.get() + bytes);
            s.last.lazySet(micros);
            return;
        }
        untracked.incrementAndGet();
    }

    /** Datagrams from sources beyond the table's capacity (or its probe limit). */
    public long untracked() {
        return untracked.get();
    }

    public List<Activity> snapshot() {
        List<Activity> out = new ArrayList<>();
        for (int i = 0; i < slots.length(); i++) {
            Slot s = slots.get(i);
            if (s != null) {
                out.add(s.activity());
            }
        }
        return out;
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** The VNI of a VXLAN (RFC 7348) or GENEVE (RFC 8926) payload: bytes 4..6 in both headers. */
    public static int vniOf(io.netty.buffer.ByteBuf payload) {
        return payload.readableBytes() < 8 ? -1 : payload.getUnsignedMedium(payload.readerIndex() + 4);
    }

    private static final class Slot {
        final InetAddress sender;
        final int vni;
        final long first;
        final AtomicLong packets = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong last = new AtomicLong();

        Slot(InetAddress sender, int vni, long first) {
            this.sender = sender;
            this.vni = vni;
            this.first = first;
        }

        Activity activity() {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("vni", vni < 0 ? "none" : Integer.toString(vni));
            labels.put("source", sender.getHostAddress());
            String key = "vni=" + labels.get("vni") + ",source=" + labels.get("source");
            return new Activity("source", key, labels, first, last.get(), packets.get(), bytes.get());
        }
    }
}
