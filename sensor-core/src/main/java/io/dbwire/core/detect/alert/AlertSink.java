package io.dbwire.core.detect.alert;

@FunctionalInterface
public interface AlertSink {
    void accept(Alert alert);
}
