package io.dbwire.core.record;

/** The {@code kind} field of a record. */
public enum RecordKind {
    /** One SQL statement (or command) and its outcome. */
    STATEMENT("statement"),
    /** One authentication attempt and its outcome. */
    LOGIN("login"),
    /** A connection that switched to TLS; statements inside are not visible without keys. */
    TLS("tls"),
    /** Cancellation of a running statement sent on a separate connection. */
    CANCEL("cancel");

    private final String json;

    RecordKind(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }
}
