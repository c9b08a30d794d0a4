package io.dbwire.daemon.source;

import io.dbwire.core.decap.LinkType;
import io.dbwire.daemon.fault.FatalErrors;
import io.dbwire.daemon.health.SourceTable;
import io.dbwire.daemon.clock.MicrosClock;
import io.dbwire.daemon.metrics.DaemonCounters;
import io.dbwire.daemon.trust.MirrorFilter;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

/**
 * Thin adapter on the event loop: stamp receipt time, copy into the queue's batch (flushed at the end of each
 * socket read), count. No decoding here — each
 * datagram's content is a tunnel payload that the engine's decap reads. The packet is released by the superclass.
 */
@ChannelHandler.Sharable
public final class DatagramHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final FrameIntake queue;
    private final LinkType linkType;
    private final MicrosClock clock;
    private final DaemonCounters counters;
    private final SourceTable sources;
    private final MirrorFilter trusted;

    public DatagramHandler(FrameIntake queue, LinkType linkType, MicrosClock clock, DaemonCounters counters) {
        this(queue, linkType, clock, counters, MirrorFilter.OPEN, null);
    }

    /**
     * @param trusted datagrams from other senders or VNIs are counted and dropped before the queue
     * @param sources where each datagram's mirror source (VNI, sender) is counted, or null
     */
    public DatagramHandler(FrameIntake queue, LinkType linkType, MicrosClock clock, DaemonCounters counters,
            MirrorFilter trusted, SourceTable sources) {
        this.trusted = trusted;
        this.sources = sources;
        this.queue = queue;
        this.linkType = linkType;
        this.clock = clock;
        this.counters = counters;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        long now = clock.nowMicros();
        int length = packet.content().readableBytes();
        counters.datagramReceived(length);
        MirrorFilter.Rejection rejected = trusted == MirrorFilter.OPEN
                ? null : trusted.check(packet.sender().getAddress(), packet.content());
        if (rejected != null) {
            counters.datagramRejected(rejected);
            return;
        }
        if (sources != null) {
            sources.record(packet.sender().getAddress(), SourceTable.vniOf(packet.content()), length, now);
        }
        if (!queue.offer(packet.content(), linkType, now)) {
            counters.queueFull();
        }
    }

    /** The end of one socket read (up to recvmmsg batches): what it brought goes to the pipeline as one batch. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        queue.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        FatalErrors.haltIfFatal("udp receiver", cause); // Netty would log it and go on half-alive
        // A UDP socket error (e.g. ICMP-driven) concerns one datagram; keep the channel open and count it.
        counters.receiveError();
    }
}
