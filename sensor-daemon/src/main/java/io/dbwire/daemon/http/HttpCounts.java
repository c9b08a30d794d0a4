package io.dbwire.daemon.http;

/**
 * One HTTP server's refusals since start: connections closed on arrival at the connection limit, connections
 * closed by the read timeout, requests answered 503 because the body budget was spent.
 */
public record HttpCounts(long refusedConnections, long timedOutConnections, long busyRequests) {}
