package io.dbwire.daemon.sink;

import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.AlertSink;
import java.io.UncheckedIOException;

/** Alerts as JSON lines on a stream (replay). */
public final class AlertLineSink implements AlertSink {
    private final JsonLineWriter out;
    private final AlertFormatter formatter;

    public AlertLineSink(JsonLineWriter out, AlertFormatter formatter) {
        this.out = out;
        this.formatter = formatter;
    }

    @Override
    public void accept(Alert alert) {
        try {
            out.writeLine(formatter.format(alert));
        } catch (UncheckedIOException e) {
            // Counted by the writer; replay stops at the first failed write and says so (exit 74).
        }
    }
}
