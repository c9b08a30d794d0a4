package io.dbwire.core.detect;

@FunctionalInterface
public interface AlertSink {
    void accept(Alert alert);
}
