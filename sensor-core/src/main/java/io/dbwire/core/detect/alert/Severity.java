package io.dbwire.core.detect.alert;

/** Alert severity, lowest first. */
public enum Severity {
    INFO("info"),
    LOW("low"),
    MEDIUM("medium"),
    HIGH("high"),
    CRITICAL("critical");

    private final String json;

    Severity(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }
}
