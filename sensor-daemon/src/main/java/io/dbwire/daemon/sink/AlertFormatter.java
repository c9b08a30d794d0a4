package io.dbwire.daemon.sink;

import io.dbwire.core.detect.alert.Alert;

/**
 * The JSON line form of an alert. Kept behind an interface so the daemon does not depend on the engine's alert
 * serialiser while that is written; the lead swaps {@code io.dbwire.core.detect.alert.AlertJson::toJson} in here.
 */
@FunctionalInterface
public interface AlertFormatter {
    /** One JSON object, no line break. */
    String format(Alert alert);
}
