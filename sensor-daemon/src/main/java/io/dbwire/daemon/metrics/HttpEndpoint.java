package io.dbwire.daemon.metrics;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A small GET-only HTTP server on Netty for the endpoints a load balancer or Prometheus polls. Reading is
 * non-blocking on one event-loop thread, so clients that connect and send nothing, or a header a byte at a time,
 * hold no thread: /health keeps answering. Each connection is closed after {@link #READ_TIMEOUT_SECONDS} without a
 * byte and after {@link #REQUESTS_PER_CONNECTION} requests; beyond {@link #MAX_CONNECTIONS} open connections new
 * ones are closed at once (the limit is high: an idle connection costs a few KiB, not a thread). Requests larger than {@link #MAX_REQUEST_BYTES} are refused. Closed and refused
 * connections are counted ({@link #refusedConnections()}, {@link #timedOutConnections()}).
 */
public final class HttpEndpoint implements AutoCloseable {
    static final int MAX_CONNECTIONS = 1_024;
    static final int READ_TIMEOUT_SECONDS = 10;
    static final int MAX_REQUEST_BYTES = 16 * 1024;
    static final int REQUESTS_PER_CONNECTION = 100;

    /** What a path answers. */
    public record Response(int status, String contentType, String body) {}

    /** Answers one GET or HEAD; runs on the event-loop thread, so it must not block. */
    public interface Routes {
        /** @return the response, or null for 404 */
        Response get(String path);
    }

    private final EventLoopGroup group;
    private final int maxConnections;
    private volatile Channel server;
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder refused = new LongAdder();
    private final LongAdder timedOut = new LongAdder();

    private HttpEndpoint(EventLoopGroup group, int maxConnections) {
        this.group = group;
        this.maxConnections = maxConnections;
    }

    public static HttpEndpoint start(String address, int port, String threadName, Routes routes)
            throws InterruptedException {
        return start(address, port, threadName, routes, MAX_CONNECTIONS);
    }

    static HttpEndpoint start(String address, int port, String threadName, Routes routes, int maxConnections)
            throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        }, NioIoHandler.newFactory());
        HttpEndpoint self = new HttpEndpoint(group, maxConnections);
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 64)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        self.accept(ch, routes);
                    }
                });
        try {
            self.server = b.bind(new InetSocketAddress(address, port)).sync().channel();
            return self;
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    private void accept(SocketChannel ch, Routes routes) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            refused.increment();
            ch.close();
            return;
        }
        ch.closeFuture().addListener(f -> open.decrementAndGet());
        ch.pipeline()
                .addLast(new ReadTimeoutHandler(READ_TIMEOUT_SECONDS))
                .addLast(new HttpServerCodec(4096, 8192, 8192))
                .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                .addLast(new Handler(routes))
                .addLast(new Errors());
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /** Connections closed on arrival because {@link #MAX_CONNECTIONS} were open. */
    public long refusedConnections() {
        return refused.sum();
    }

    /** Connections closed because no byte came for {@link #READ_TIMEOUT_SECONDS}. */
    public long timedOutConnections() {
        return timedOut.sum();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Routes routes;
        private int served;

        Handler(Routes routes) {
            this.routes = routes;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            Response r;
            if (!req.decoderResult().isSuccess()) {
                r = new Response(400, "text/plain", "bad request\n");
            } else if (!HttpMethod.GET.equals(req.method()) && !HttpMethod.HEAD.equals(req.method())) {
                r = new Response(405, "text/plain", "method not allowed\n");
            } else {
                r = routes.get(new QueryStringDecoder(req.uri()).path());
                if (r == null) {
                    r = new Response(404, "text/plain", "not found\n");
                }
            }
            byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
            boolean head = HttpMethod.HEAD.equals(req.method());
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                    head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            if (r.status() == 405) {
                res.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            }
            boolean keepAlive = HttpUtil.isKeepAlive(req) && ++served < REQUESTS_PER_CONNECTION
                    && req.decoderResult().isSuccess();
            HttpUtil.setKeepAlive(res, keepAlive);
            if (keepAlive) {
                ctx.writeAndFlush(res);
            } else {
                ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    /** A timeout or a reset closes the connection quietly; a timeout is counted. */
    private final class Errors extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            io.dbwire.daemon.fault.FatalErrors.haltIfFatal("http", cause);
            if (cause instanceof io.netty.handler.timeout.ReadTimeoutException) {
                timedOut.increment();
            }
            ctx.close();
        }
    }

}
