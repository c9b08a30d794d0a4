package io.dbwire.core.record;

/**
 * @param text        the statement as configured: normalised (literals replaced by {@code ?}), full, or null when off
 * @param fingerprint stable hex hash of the normalised text, the same for statements differing only in literals
 * @param operation   leading SQL verb in upper case (SELECT, INSERT, COPY, …), or UNKNOWN
 */
public record StatementInfo(String text, String fingerprint, String operation) {}
