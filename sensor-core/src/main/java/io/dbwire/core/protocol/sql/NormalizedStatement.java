package io.dbwire.core.protocol.sql;

/**
 * @param text        the statement with literals replaced by {@code ?}, comments dropped, white space folded
 * @param fingerprint 16 lower-case hex digits, equal for statements that differ only in literals, white space,
 *                    comments and keyword case
 * @param operation   the statement's verb in upper case (SELECT, INSERT, UPDATE, DELETE, COPY, BEGIN, …), or
 *                    {@code UNKNOWN}
 */
public record NormalizedStatement(String text, String fingerprint, String operation) {}
