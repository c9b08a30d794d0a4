package io.dbwire.core.record;

/**
 * @param text        the statement as configured: normalised (literals replaced by {@code ?}), full, or null when off
 * @param fingerprint stable hex hash of the normalised text, the same for statements differing only in literals
 * @param operation   leading SQL verb in upper case (SELECT, INSERT, COPY, …), or UNKNOWN
 * @param attribution tags and trace context from the statement's comments, or null when it had none
 */
public record StatementInfo(String text, String fingerprint, String operation, StatementAttribution attribution) {

    /** A statement whose comments named nobody. */
    public StatementInfo(String text, String fingerprint, String operation) {
        this(text, fingerprint, operation, null);
    }
}
