package io.dbwire.core.record;

/** One side of a connection. */
public record Endpoint(String ip, int port) {}
