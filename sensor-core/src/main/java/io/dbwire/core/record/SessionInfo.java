package io.dbwire.core.record;

/**
 * What the sensor knows about the database session a record belongs to. Identity it could not see (a
 * connection picked up mid-stream) is {@code null}, never guessed.
 */
public record SessionInfo(String user, String database, String application, boolean tls, boolean midStream) {}
