package io.dbwire.daemon.source;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds UDP sockets on one event-loop thread (a single producer for the frame queue). Uses the native epoll
 * transport when available, with recvmmsg reading up to {@link #BATCH} datagrams per system call; NIO otherwise.
 */
public final class UdpReceiver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UdpReceiver.class);
    /**
     * Largest datagram read whole. A mirrored 9001-byte jumbo frame plus its Ethernet and VXLAN headers fits;
     * anything longer is cut by the kernel and decap counts it as truncated.
     */
    public static final int MAX_DATAGRAM_BYTES = 9_216;
    /** Datagrams read per recvmmsg call on epoll. */
    static final int BATCH = 16;

    private final boolean epoll;
    private final EventLoopGroup group;
    private final List<Channel> channels = new ArrayList<>();

    public UdpReceiver(boolean preferEpoll) {
        this.epoll = preferEpoll && Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(
                1,
                new DefaultThreadFactory("dbwire-udp", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    public String transport() {
        return epoll ? "epoll" : "nio";
    }

    /** Binds one port; returns the bound address (port 0 becomes the chosen port). */
    public InetSocketAddress bind(String address, int port, int receiveBufferBytes, ChannelHandler handler)
            throws InterruptedException {
        Bootstrap b = new Bootstrap().group(group).handler(handler).option(ChannelOption.SO_RCVBUF, receiveBufferBytes);
        if (epoll) {
            b.channel(EpollDatagramChannel.class)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM_BYTES)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM_BYTES * BATCH));
        } else {
            b.channel(NioDatagramChannel.class)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM_BYTES));
        }
        Channel ch = b.bind(address, port).sync().channel();
        channels.add(ch);
        long cap = Sysctl.readLong(Sysctl.RMEM_MAX);
        // Linux silently caps SO_RCVBUF at net.core.rmem_max (and getsockopt reports double), so ask the sysctl.
        if (cap > 0 && receiveBufferBytes > cap) {
            LOG.warn("udp {}: receive buffer capped at {} bytes by sysctl net.core.rmem_max, not the {} asked for"
                    + " (listen.receive_buffer_bytes); raise the sysctl", ch.localAddress(), cap, receiveBufferBytes);
        }
        return (InetSocketAddress) ch.localAddress();
    }

    /** Closes the sockets and waits for the event loop to finish: after this no datagram reaches the queue. */
    @Override
    public void close() {
        for (Channel ch : channels) {
            ch.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
