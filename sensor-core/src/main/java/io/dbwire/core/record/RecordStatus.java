package io.dbwire.core.record;

/** The {@code status} field of a record. */
public enum RecordStatus {
    OK("ok"),
    ERROR("error"),
    /** The response was not seen completely (gap, connection closed, capture ended). */
    INCOMPLETE("incomplete");

    private final String json;

    RecordStatus(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }
}
