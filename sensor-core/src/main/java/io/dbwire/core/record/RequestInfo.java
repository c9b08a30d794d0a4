package io.dbwire.core.record;

/** @param bytes wire bytes the client sent for this request */
public record RequestInfo(long bytes) {}
