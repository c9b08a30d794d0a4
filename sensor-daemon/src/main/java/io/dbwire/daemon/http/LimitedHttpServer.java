package io.dbwire.daemon.http;

import io.dbwire.daemon.fault.FatalErrors;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The daemon's HTTP servers (/health and /metrics, the console, the key listener) on Netty with one event-loop
 * thread each: reading is non-blocking, so clients that connect and send nothing, or a header a byte at a time,
 * hold no thread. Every connection is closed after {@link HttpLimits#readTimeoutSeconds} without a byte; beyond
 * {@link HttpLimits#maxConnections} new ones are closed on arrival; bodies are bounded one by one and together
 * ({@link RequestAssembler}). Refused, timed-out and too-busy connections are counted.
 */
public final class LimitedHttpServer implements AutoCloseable {
    private final EventLoopGroup group;
    private final HttpLimits limits;
    private volatile Channel server;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong buffered = new AtomicLong();
    private final LongAdder refused = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final LongAdder busy = new LongAdder();

    private LimitedHttpServer(EventLoopGroup group, HttpLimits limits) {
        this.group = group;
        this.limits = limits;
    }

    /** @throws IOException when the address cannot be bound */
    public static LimitedHttpServer start(String address, int port, String threadName, HttpLimits limits,
            HttpHandler handler) throws IOException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        }, NioIoHandler.newFactory());
        LimitedHttpServer self = new LimitedHttpServer(group, limits);
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 64)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        self.accept(ch, handler);
                    }
                });
        try {
            self.server = b.bind(new InetSocketAddress(address, port)).sync().channel();
            return self;
        } catch (InterruptedException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + address + ":" + port, e);
        } catch (RuntimeException e) {
            // Netty's sync() rethrows the bind's IOException without declaring it (e.g. address in use).
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException(e.getMessage(), e);
        }
    }

    private void accept(SocketChannel ch, HttpHandler handler) {
        if (open.incrementAndGet() > limits.maxConnections()) {
            open.decrementAndGet();
            refused.increment();
            ch.close();
            return;
        }
        ch.closeFuture().addListener(f -> open.decrementAndGet());
        ch.pipeline()
                .addLast(new ReadTimeoutHandler(limits.readTimeoutSeconds()))
                .addLast(new HttpServerCodec(4096, 8192, 8192))
                .addLast(new RequestAssembler(handler, limits, this))
                .addLast(new Errors());
    }

    /** Takes {@code n} bytes of the shared body budget; false when it is spent (the request is then refused). */
    boolean reserve(int n) {
        if (buffered.addAndGet(n) > limits.maxBufferedBytes()) {
            buffered.addAndGet(-n);
            busy.increment();
            return false;
        }
        return true;
    }

    void release(int n) {
        buffered.addAndGet(-n);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /** Connections closed on arrival because {@link HttpLimits#maxConnections} were open. */
    public long refusedConnections() {
        return refused.sum();
    }

    /** Connections closed because no byte came for {@link HttpLimits#readTimeoutSeconds}. */
    public long timedOutConnections() {
        return timedOut.sum();
    }

    /** Requests answered 503 because bodies in flight held {@link HttpLimits#maxBufferedBytes}. */
    public long busyRefusals() {
        return busy.sum();
    }

    public HttpCounts counts() {
        return new HttpCounts(refused.sum(), timedOut.sum(), busy.sum());
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** A timeout or a reset closes the connection quietly; a timeout is counted. */
    private final class Errors extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            FatalErrors.haltIfFatal("http", cause);
            if (cause instanceof ReadTimeoutException) {
                timedOut.increment();
            }
            ctx.close();
        }
    }
}
