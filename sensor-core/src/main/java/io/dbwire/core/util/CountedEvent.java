package io.dbwire.core.util;

import java.util.Locale;

/**
 * A counter enum that describes itself: whether a count measures normal work or a problem, and the name it is
 * exported under. Reports, the replay summary and {@code /metrics} read these, so adding a counter is adding one
 * enum constant.
 */
public interface CountedEvent {
    /** Normal work (segments, records, sessions) or something that went wrong or was dropped. */
    enum Kind {
        VOLUME,
        PROBLEM
    }

    /** Implemented by every enum. */
    String name();

    Kind kind();

    /** The layer prefix of the metric name, e.g. {@code tcp} or {@code tls.decrypt}. */
    String layer();

    default boolean isProblem() {
        return kind() == Kind.PROBLEM;
    }

    /** {@code layer.reason} in snake_case, e.g. {@code tcp.gap_bytes}: the name in summaries and /metrics. */
    default String metricName() {
        return layer() + "." + name().toLowerCase(Locale.ROOT);
    }
}
