package io.dbwire.daemon.metrics;

import io.dbwire.daemon.http.HttpHandler;
import io.dbwire.daemon.http.HttpLimits;
import io.dbwire.daemon.http.LimitedHttpServer;
import io.dbwire.daemon.http.Reply;
import io.dbwire.daemon.http.Request;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A small GET-only HTTP server for the endpoints a load balancer or Prometheus polls, on a
 * {@link LimitedHttpServer} with {@link HttpLimits#POLLED}: closed after {@value #READ_TIMEOUT_SECONDS} s without
 * a byte, at most {@value #MAX_CONNECTIONS} connections (an idle one costs a few KiB, not a thread), request
 * bodies up to {@value #MAX_REQUEST_BYTES} bytes. Closed and refused connections are counted.
 */
public final class HttpEndpoint implements AutoCloseable {
    static final int MAX_CONNECTIONS = 1_024;
    static final int READ_TIMEOUT_SECONDS = 10;
    static final int MAX_REQUEST_BYTES = 16 * 1024;

    /** What a path answers. */
    public record Response(int status, String contentType, String body) {}

    /** Answers one GET or HEAD; runs on the event-loop thread, so it must not block. */
    public interface Routes {
        /** @return the response, or null for 404 */
        Response get(String path);
    }

    private final LimitedHttpServer server;

    private HttpEndpoint(LimitedHttpServer server) {
        this.server = server;
    }

    public static HttpEndpoint start(String address, int port, String threadName, Routes routes) throws IOException {
        return start(address, port, threadName, routes, MAX_CONNECTIONS);
    }

    static HttpEndpoint start(String address, int port, String threadName, Routes routes, int maxConnections)
            throws IOException {
        HttpLimits limits = HttpLimits.POLLED.withMaxConnections(maxConnections);
        return new HttpEndpoint(LimitedHttpServer.start(address, port, threadName, limits, new GetOnly(routes)));
    }

    public InetSocketAddress address() {
        return server.address();
    }

    /** Connections closed on arrival because {@link #MAX_CONNECTIONS} were open. */
    public long refusedConnections() {
        return server.refusedConnections();
    }

    /** Connections closed because no byte came for {@link #READ_TIMEOUT_SECONDS}. */
    public long timedOutConnections() {
        return server.timedOutConnections();
    }

    public io.dbwire.daemon.http.HttpCounts counts() {
        return server.counts();
    }

    @Override
    public void close() {
        server.close();
    }

    private static final class GetOnly implements HttpHandler {
        private final Routes routes;

        GetOnly(Routes routes) {
            this.routes = routes;
        }

        @Override
        public Reply onHead(Request head) {
            if (!"GET".equals(head.method()) && !"HEAD".equals(head.method())) {
                return Reply.text(405, "text/plain", "method not allowed\n").header("Allow", "GET, HEAD");
            }
            return null;
        }

        @Override
        public Reply handle(Request request) {
            Response r = routes.get(request.path());
            return r == null ? Reply.text(404, "text/plain", "not found\n")
                    : Reply.text(r.status(), r.contentType(), r.body());
        }
    }
}
