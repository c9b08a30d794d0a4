package io.dbwire.daemon.http;

/**
 * What one HTTP server allows, so that slow, many or large clients cannot hold a thread or grow memory.
 *
 * @param maxConnections      open connections; beyond it a new one is closed on arrival and counted
 * @param readTimeoutSeconds  a connection with no byte for this long is closed and counted
 * @param maxBodyBytes        a request body above this is answered 413 (a declared length at once, a streamed
 *                            body as soon as it passes the bound) and not kept
 * @param maxBufferedBytes    request body bytes held across all connections at once; beyond it 503 and counted
 */
public record HttpLimits(int maxConnections, int readTimeoutSeconds, int maxBodyBytes, long maxBufferedBytes) {
    /** The limits of /health, /status and /metrics, which the console shares. */
    public static final HttpLimits POLLED = new HttpLimits(1_024, 10, 16 * 1024, 4L << 20);

    public HttpLimits {
        if (maxConnections < 1 || readTimeoutSeconds < 1 || maxBodyBytes < 0 || maxBufferedBytes < maxBodyBytes) {
            throw new IllegalArgumentException("limits: " + maxConnections + " connections, " + readTimeoutSeconds
                    + " s, body " + maxBodyBytes + ", buffered " + maxBufferedBytes
                    + " (expected: positive, buffered >= body)");
        }
    }

    public HttpLimits withMaxConnections(int n) {
        return new HttpLimits(n, readTimeoutSeconds, maxBodyBytes, maxBufferedBytes);
    }
}
