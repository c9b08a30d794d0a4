package io.dbwire.daemon.source;

import io.dbwire.core.config.DecapConfig;
import io.dbwire.core.decap.DecapOutcome;
import io.dbwire.core.decap.Decapsulator;
import io.dbwire.core.decap.DecodedPacket;
import io.dbwire.core.decap.FlowHash;
import io.dbwire.core.decap.FragmentKey;
import io.dbwire.core.decap.FragmentLimits;
import io.dbwire.core.decap.LinkType;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Spreads frames over the pipeline shards by the symmetric flow hash, so that both directions of a connection —
 * and the mirror copies of its packets — reach the one thread that owns it. The frame is decoded here only to
 * find its flow; the shard decodes it again for real. Frames that are not TCP go to shard 0, where they are
 * counted like any other.
 *
 * <p>IP fragments: only the whole datagram names its flow, so a datagram's fragments are held here
 * ({@link FragmentGroups}) and sent together to the flow's shard when the last one arrives; that shard then
 * reassembles them itself. Fragments of datagrams that never complete reach shard 0 after the reassembly timeout.
 */
public final class ShardRouter implements FrameIntake {
    private final List<FrameQueue> shards;
    /** One decoder per receiving thread (Netty event loops, the capture thread). */
    private final ThreadLocal<Probe> probes;

    public ShardRouter(List<FrameQueue> shards, DecapConfig decap) {
        this.shards = List.copyOf(shards);
        this.probes = ThreadLocal.withInitial(() -> new Probe(decap));
    }

    @Override
    public boolean offer(ByteBuf content, LinkType linkType, long receivedMicros) {
        Probe probe = probes.get();
        int length = content.readableBytes();
        byte[] bytes = probe.scratch(length);
        content.getBytes(content.readerIndex(), bytes, 0, length);
        return offer(bytes, 0, length, linkType, receivedMicros);
    }

    /** False when a queue was full and a frame (this one or a held fragment sent with it) was dropped. */
    @Override
    public boolean offer(byte[] frame, int offset, int length, LinkType linkType, long tsMicros) {
        Probe probe = probes.get();
        probe.accepted = true;
        probe.fragments.expire(tsMicros, probe.toShard(0));
        boolean tcp = probe.decap.decode(frame, offset, length, linkType, tsMicros, probe.packet);
        FragmentKey fragment = probe.decap.lastFragment();
        int shard = tcp ? flowShard(probe.packet) : 0;
        if (fragment != null) {
            int earlier = probe.fragments.shardOfCompleted(fragment);
            if (earlier >= 0) {
                shard = earlier; // a late copy of a fragment: where its datagram went
            } else if (stillIncomplete(probe.decap.lastOutcome())) {
                probe.fragments.hold(fragment, frame, offset, length, linkType, tsMicros, probe.toShard(0));
                return probe.accepted;
            } else {
                probe.fragments.release(fragment, shard, probe.toShard(shard));
            }
        }
        probe.toShard(shard).offer(frame, offset, length, linkType, tsMicros);
        return probe.accepted;
    }

    /** Publishes the calling thread's partly filled batch of every shard. */
    @Override
    public void flush() {
        for (FrameQueue.Producer p : probes.get().producers) {
            p.flush();
        }
    }

    /** The shard a frame goes to as it stands (fragments aside): for tests and the bench command. */
    public int shardOf(byte[] frame, int offset, int length, LinkType linkType, long tsMicros) {
        Probe probe = probes.get();
        if (!probe.decap.decode(frame, offset, length, linkType, tsMicros, probe.packet)) {
            return 0;
        }
        return flowShard(probe.packet);
    }

    private int flowShard(DecodedPacket packet) {
        return Math.floorMod(FlowHash.symmetric(packet), shards.size());
    }

    /** A fragment held, a duplicate of a held one, or refused by the table: its datagram has not completed. */
    private static boolean stillIncomplete(DecapOutcome outcome) {
        return outcome == DecapOutcome.IP_FRAGMENT || outcome == DecapOutcome.FRAGMENT_DUPLICATE
                || outcome == DecapOutcome.FRAGMENT_INVALID;
    }

    /**
     * A receiving thread's decoder, held fragments and copy buffer; its counters are never read (the shards
     * count).
     */
    private final class Probe {
        final Decapsulator decap;
        final DecodedPacket packet = new DecodedPacket();
        final FragmentGroups fragments;
        final FragmentGroups.Target[] targets;
        /** This thread's batch of each shard. */
        final FrameQueue.Producer[] producers;
        /** Whether every frame sent for the current offer was queued. */
        boolean accepted;
        byte[] scratch = new byte[2_048];

        Probe(DecapConfig config) {
            FragmentLimits limits = FragmentLimits.defaults(); // the shards' Decapsulators use these too
            this.decap = new Decapsulator(config, limits);
            this.fragments = new FragmentGroups(limits);
            this.targets = new FragmentGroups.Target[shards.size()];
            this.producers = new FrameQueue.Producer[shards.size()];
            for (int i = 0; i < targets.length; i++) {
                FrameQueue.Producer p = shards.get(i).newProducer();
                producers[i] = p;
                targets[i] = (f, off, len, type, ts) -> accepted &= p.offer(f, off, len, type, ts);
            }
        }

        FragmentGroups.Target toShard(int shard) {
            return targets[shard];
        }

        byte[] scratch(int length) {
            if (scratch.length < length) {
                scratch = new byte[length];
            }
            return scratch;
        }
    }
}
