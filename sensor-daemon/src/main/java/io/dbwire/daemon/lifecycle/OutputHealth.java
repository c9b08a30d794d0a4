package io.dbwire.daemon.lifecycle;

import io.dbwire.daemon.health.Health;
import io.dbwire.daemon.metrics.MetricsSource.OutputStatus;
import io.dbwire.daemon.sink.AlertLog;
import java.util.ArrayList;
import java.util.List;

/** A file output that cannot be written makes the sensor degraded, with the reason, until a write succeeds. */
final class OutputHealth {
    private OutputHealth() {}

    static Health withOutputs(Health coverage, List<OutputStatus> outputs) {
        return withOutputs(coverage, outputs, null);
    }

    /** As above; {@code spool} (null = none) says how many of the waiting alerts are safe on disk. */
    static Health withOutputs(Health coverage, List<OutputStatus> outputs, AlertLog.SpoolStatus spool) {
        List<String> reasons = new ArrayList<>(coverage.reasons());
        for (OutputStatus o : outputs) {
            if (o.failure() != null) {
                reasons.add(o.output() + " file " + o.file() + ": cannot write (" + o.failure() + "); "
                        + ("alerts".equals(o.output()) ? o.pending() + " alerts kept for retry" + spooled(spool)
                                : o.dropped() + " records lost so far"));
            }
        }
        return reasons.size() == coverage.reasons().size() ? coverage : new Health(false, reasons);
    }

    private static String spooled(AlertLog.SpoolStatus spool) {
        return spool == null || spool.alerts() == 0 ? "" : " (" + spool.alerts() + " spooled in " + spool.file() + ")";
    }
}
