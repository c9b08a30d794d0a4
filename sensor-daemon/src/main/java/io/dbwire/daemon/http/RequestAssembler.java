package io.dbwire.daemon.http;

import io.dbwire.daemon.fault.FatalErrors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's requests, one at a time: the head goes to {@link HttpHandler#onHead} before any body byte is
 * kept, a declared length over the bound is answered 413 at once, the body is gathered up to the bound (and within
 * the server's shared budget), then {@link HttpHandler#handle} answers. After an early answer the rest of the
 * body is read and dropped (closing with unread bytes would reset the connection before the client reads the
 * answer), at most {@link #MAX_DISCARD} bytes, and the connection is closed.
 */
final class RequestAssembler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(RequestAssembler.class);
    static final int REQUESTS_PER_CONNECTION = 100;
    /** Bytes of an unwanted body read and dropped before the connection is simply closed. */
    static final int MAX_DISCARD = 64 * 1024;
    private static final int INITIAL_BODY = 8_192;

    private final HttpHandler handler;
    private final HttpLimits limits;
    private final LimitedHttpServer server;
    private HttpRequest head;
    private Request headView;
    private byte[] body;
    private int fill;
    private int reserved;
    private boolean discarding;
    private long discarded;
    private int served;
    /** The early answer being written while the body is dropped: the connection closes once it is out. */
    private ChannelFuture earlyAnswer;

    RequestAssembler(HttpHandler handler, HttpLimits limits, LimitedHttpServer server) {
        this.handler = handler;
        this.limits = limits;
        this.server = server;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest) {
                onHead(ctx, (HttpRequest) msg);
            }
            if (msg instanceof HttpContent && ctx.channel().isActive()) {
                onContent(ctx, (HttpContent) msg);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        dropBody();
        super.channelInactive(ctx);
    }

    private void onHead(ChannelHandlerContext ctx, HttpRequest req) {
        dropBody();
        head = req;
        headView = null;
        discarding = false;
        discarded = 0;
        earlyAnswer = null;
        if (!req.decoderResult().isSuccess()) {
            answerEarly(ctx, Reply.text(400, "text/plain", "bad request\n"), true);
            return;
        }
        InetAddress remote = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        headView = new Request(req.method().name(), req.uri(), req.headers(), remote, null);
        Reply early = call(() -> handler.onHead(headView));
        if (early == null && HttpUtil.getContentLength(req, -1L) > limits.maxBodyBytes()) {
            early = handler.tooLarge(headView, limits.maxBodyBytes());
        }
        if (early != null) {
            answerEarly(ctx, early, HttpUtil.is100ContinueExpected(req));
            return;
        }
        if (HttpUtil.is100ContinueExpected(req)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        // Grown as bytes arrive (and are reserved), never to a declared length up front.
        body = new byte[(int) Math.min(Math.min(limits.maxBodyBytes(), INITIAL_BODY),
                Math.max(0, HttpUtil.getContentLength(req, INITIAL_BODY)))];
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent c) {
        boolean last = c instanceof LastHttpContent;
        ByteBuf in = c.content();
        if (discarding || head == null) {
            discarded += in.readableBytes();
            if (last || discarded > MAX_DISCARD) {
                if (earlyAnswer != null) {
                    earlyAnswer.addListener(ChannelFutureListener.CLOSE);
                } else {
                    ctx.close();
                }
            }
            return;
        }
        int n = in.readableBytes();
        if (n > 0) {
            if ((long) fill + n > limits.maxBodyBytes()) {
                dropBody();
                answerEarly(ctx, handler.tooLarge(headView, limits.maxBodyBytes()), last);
                return;
            }
            if (!server.reserve(n)) {
                dropBody();
                answerEarly(ctx, Reply.text(503, "text/plain", "busy: too many request bodies at once\n"), last);
                return;
            }
            reserved += n;
            if (fill + n > body.length) {
                body = Arrays.copyOf(body, (int) Math.min(limits.maxBodyBytes(), Math.max(fill + n, 2L * body.length)));
            }
            in.readBytes(body, fill, n);
            fill += n;
        }
        if (last) {
            Request full = new Request(headView.method(), headView.uri(), headView.headers(), headView.remote(),
                    Arrays.copyOf(body, fill));
            HttpRequest req = head;
            dropBody();
            head = null;
            Reply r = call(() -> handler.handle(full));
            boolean keepAlive = HttpUtil.isKeepAlive(req) && ++served < REQUESTS_PER_CONNECTION;
            write(ctx, r == null ? Reply.text(404, "text/plain", "not found\n") : r, full.isHead(), keepAlive);
        }
    }

    /** Answers before the body is read; the rest of the body is dropped, then the connection closed. */
    private void answerEarly(ChannelHandlerContext ctx, Reply r, boolean closeNow) {
        discarding = true;
        boolean isHead = headView != null && headView.isHead();
        earlyAnswer = write(ctx, r, isHead, false);
        if (closeNow) {
            earlyAnswer.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private ChannelFuture write(ChannelHandlerContext ctx, Reply r, boolean isHead,
            boolean keepAlive) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(r.status()), isHead ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.body()));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        for (Map.Entry<String, String> h : r.headers()) {
            res.headers().add(h.getKey(), h.getValue());
        }
        HttpUtil.setKeepAlive(res, keepAlive);
        ChannelFuture f = ctx.writeAndFlush(res);
        if (!keepAlive && !discarding) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
        return f;
    }

    private void dropBody() {
        if (reserved > 0) {
            server.release(reserved);
            reserved = 0;
        }
        body = null;
        fill = 0;
    }

    private interface Call {
        Reply get() throws Exception;
    }

    private static Reply call(Call c) {
        try {
            return c.get();
        } catch (Exception | Error e) {
            FatalErrors.haltIfFatal("http handler", e);
            LOG.warn("http handler failed", e);
            return Reply.text(500, "text/plain", "internal error\n");
        }
    }
}
