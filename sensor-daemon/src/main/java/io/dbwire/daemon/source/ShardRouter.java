package io.dbwire.daemon.source;

import io.dbwire.core.config.DecapConfig;
import io.dbwire.core.decap.Decapsulator;
import io.dbwire.core.decap.DecodedPacket;
import io.dbwire.core.decap.FlowHash;
import io.dbwire.core.decap.LinkType;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Spreads frames over the pipeline shards by the symmetric flow hash, so that both directions of a connection —
 * and the mirror copies of its packets — reach the one thread that owns it. The frame is decoded here only to
 * find its flow; the shard decodes it again for real. Frames that are not TCP go to shard 0, where they are
 * counted like any other.
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

    @Override
    public boolean offer(byte[] frame, int offset, int length, LinkType linkType, long tsMicros) {
        return shards.get(shardOf(frame, offset, length, linkType, tsMicros)).offer(frame, offset, length, linkType,
                tsMicros);
    }

    public int shardOf(byte[] frame, int offset, int length, LinkType linkType, long tsMicros) {
        Probe probe = probes.get();
        if (!probe.decap.decode(frame, offset, length, linkType, tsMicros, probe.packet)) {
            return 0;
        }
        return Math.floorMod(FlowHash.symmetric(probe.packet), shards.size());
    }

    /** A receiving thread's decoder and copy buffer; its counters are never read (the shards count). */
    private static final class Probe {
        final Decapsulator decap;
        final DecodedPacket packet = new DecodedPacket();
        byte[] scratch = new byte[Frame.INITIAL_BYTES];

        Probe(DecapConfig config) {
            this.decap = new Decapsulator(config);
        }

        byte[] scratch(int length) {
            if (scratch.length < length) {
                scratch = new byte[length];
            }
            return scratch;
        }
    }
}
