package io.dbwire.core.record;

/**
 * @param text        the statement as configured: normalised (literals replaced by {@code ?}), full, or null when off
 * @param fingerprint stable hex hash of the normalised text, the same for statements differing only in literals
 * @param operation   leading SQL verb in upper case (SELECT, INSERT, COPY, …), or UNKNOWN; for a statement whose
 *                    text is unknown, the verb the server's answer named (PostgreSQL command tag) or UNKNOWN
 * @param attribution tags and trace context from the statement's comments, or null when it had none
 * @param textUnknown why the statement's text is unknown ({@link #PREPARE_NOT_SEEN}, {@link #REQUEST_NOT_SEEN}), or null when it is known
 *                    (or left out by {@code statement_mode: off})
 */
public record StatementInfo(String text, String fingerprint, String operation, StatementAttribution attribution,
        String textUnknown) {

    /** The prepared statement an execution names was never seen: prepared before the capture, or its packet lost. */
    public static final String PREPARE_NOT_SEEN = "prepare_not_seen";
    /** The request's packets were lost; the record stands for an answer the server sent (operation from its tag). */
    public static final String REQUEST_NOT_SEEN = "request_not_seen";

    /** A statement whose comments named nobody. */
    public StatementInfo(String text, String fingerprint, String operation) {
        this(text, fingerprint, operation, null, null);
    }

    public StatementInfo(String text, String fingerprint, String operation, StatementAttribution attribution) {
        this(text, fingerprint, operation, attribution, null);
    }

    /** The same statement with another operation (e.g. the one the server's answer named). */
    public StatementInfo withOperation(String newOperation) {
        return new StatementInfo(text, fingerprint, newOperation, attribution, textUnknown);
    }
}
