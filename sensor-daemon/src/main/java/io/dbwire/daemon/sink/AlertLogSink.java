package io.dbwire.daemon.sink;

import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.AlertSink;
import org.slf4j.Logger;

/** Alerts through the {@code dbwire.alerts} logger (run): the message is the JSON line, nothing else. */
public final class AlertLogSink implements AlertSink {
    private final Logger logger;
    private final AlertFormatter formatter;

    public AlertLogSink(Logger logger, AlertFormatter formatter) {
        this.logger = logger;
        this.formatter = formatter;
    }

    @Override
    public void accept(Alert alert) {
        logger.info(formatter.format(alert));
    }
}
