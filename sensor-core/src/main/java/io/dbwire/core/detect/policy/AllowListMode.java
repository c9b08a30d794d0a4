package io.dbwire.core.detect.policy;

import java.util.Locale;

/** What the statement allow-list does with a statement it does not list. */
enum AllowListMode {
    /** Nothing at all. */
    OFF("off"),
    /** Adds it (the list grows while the operator watches the normal workload). */
    LEARN("learn"),
    /** A low alert; the list stays as it is. */
    WARN("warn"),
    /** A high alert; the list stays as it is. Nothing is blocked: a passive sensor only alerts. */
    ENFORCE_ALERT("enforce-alert");

    private final String text;

    AllowListMode(String text) {
        this.text = text;
    }

    static AllowListMode parse(String where, String s) {
        for (AllowListMode m : values()) {
            if (m.text.equals(s == null ? "off" : s.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException(where + ": " + s + " (expected: off, learn, warn or enforce-alert)");
    }

    String text() {
        return text;
    }
}
