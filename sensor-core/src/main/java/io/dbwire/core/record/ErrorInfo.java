package io.dbwire.core.record;

/**
 * @param code    SQLSTATE for PostgreSQL, error number for MySQL (as a string)
 * @param message the server's message text
 */
public record ErrorInfo(String code, String message) {}
