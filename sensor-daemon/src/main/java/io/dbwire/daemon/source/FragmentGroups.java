package io.dbwire.daemon.source;

import io.dbwire.core.decap.FragmentKey;
import io.dbwire.core.decap.FragmentLimits;
import io.dbwire.core.decap.LinkType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies of IP fragment frames held by the {@link ShardRouter} until their datagram is complete and its flow —
 * hence its shard — is known; then they go to that shard in arrival order, ahead of the completing fragment, so
 * the shard reassembles exactly what one engine would. Datagrams that never complete are handed to shard 0 when
 * they time out or the bounds are reached, where they are counted as they would be without sharding. Owned by one
 * receiving thread.
 */
final class FragmentGroups {
    /** Where a group's frames go. */
    interface Target {
        void offer(byte[] frame, int offset, int length, LinkType linkType, long tsMicros);
    }

    private record Held(byte[] frame, LinkType linkType, long tsMicros) {}

    private static final class Group {
        final List<Held> frames = new ArrayList<>(4);
        final long firstMicros;

        Group(long firstMicros) {
            this.firstMicros = firstMicros;
        }
    }

    private final FragmentLimits limits;
    private final LinkedHashMap<FragmentKey, Group> groups = new LinkedHashMap<>();
    /** Shards of recently completed datagrams, so that late duplicate fragments follow the others. */
    private final LinkedHashMap<FragmentKey, Integer> completed;
    private long bytesHeld;

    FragmentGroups(FragmentLimits limits) {
        this.limits = limits;
        int max = Math.max(1, limits.maxDatagrams());
        this.completed = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<FragmentKey, Integer> eldest) {
                return size() > max;
            }
        };
    }

    /** The shard a completed datagram went to, or -1. */
    int shardOfCompleted(FragmentKey key) {
        Integer shard = completed.get(key);
        return shard == null ? -1 : shard;
    }

    /** Keeps a copy of a fragment whose datagram is still incomplete; older groups may go to {@code overflow}. */
    void hold(FragmentKey key, byte[] frame, int offset, int length, LinkType linkType, long tsMicros,
            Target overflow) {
        byte[] copy = new byte[length];
        System.arraycopy(frame, offset, copy, 0, length);
        groups.computeIfAbsent(key, k -> new Group(tsMicros)).frames.add(new Held(copy, linkType, tsMicros));
        bytesHeld += length;
        while (!groups.isEmpty() && (groups.size() > limits.maxDatagrams() || bytesHeld > limits.maxBytes())) {
            Iterator<Map.Entry<FragmentKey, Group>> eldest = groups.entrySet().iterator();
            Group g = eldest.next().getValue();
            eldest.remove();
            send(g, overflow);
        }
    }

    /** The datagram is complete (or refused): its held frames go to {@code shard}, in arrival order. */
    void release(FragmentKey key, int shard, Target target) {
        completed.put(key, shard);
        Group g = groups.remove(key);
        if (g != null) {
            send(g, target);
        }
    }

    /** Groups older than the reassembly timeout go to {@code target} (shard 0), which times them out itself. */
    void expire(long nowMicros, Target target) {
        Iterator<Map.Entry<FragmentKey, Group>> it = groups.entrySet().iterator();
        while (it.hasNext()) {
            Group g = it.next().getValue();
            if (nowMicros - g.firstMicros <= limits.timeoutMicros()) {
                break; // insertion order: the rest are younger
            }
            it.remove();
            send(g, target);
        }
    }

    int groups() {
        return groups.size();
    }

    private void send(Group g, Target target) {
        for (Held h : g.frames) {
            bytesHeld -= h.frame.length;
            target.offer(h.frame, 0, h.frame.length, h.linkType, h.tsMicros);
        }
    }
}
