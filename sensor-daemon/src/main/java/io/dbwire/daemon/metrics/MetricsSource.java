package io.dbwire.daemon.metrics;

import io.dbwire.core.pipeline.SensorStats;
import io.dbwire.daemon.sink.kafka.KafkaOutputStats;
import io.dbwire.daemon.sink.syslog.SyslogOutput;
import io.dbwire.daemon.tls.KeyListener;

/** What the HTTP endpoint reads; implemented by the running daemon. Called from the HTTP thread. */
public interface MetricsSource {
    /** The latest snapshot published by the pipeline thread (the Sensor itself is not thread-safe). */
    SensorStats sensorStats();

    DaemonCounters counters();

    int queueDepth();

    /** False once the pipeline thread has died or stopped: /health then answers 503. */
    boolean healthy();

    long uptimeSeconds();

    /** The key forwarders' listener's counters, or null when tls.key_listener is off. */
    default KeyListener.Stats keyListenerStats() {
        return null;
    }

    /** The Kafka output's counters, or null when outputs.kafka is off. */
    default KafkaOutputStats kafkaStats() {
        return null;
    }

    /** The syslog output's counters, or null when outputs.syslog is off. */
    default SyslogOutput.Stats syslogStats() {
        return null;
    }
    /**
     * The web console: items its feed dropped because the queue was full, the queue's depth, and requests refused
     * for a missing or wrong token; null when it is off.
     */
    default ConsoleCounts console() {
        return null;
    }

    record ConsoleCounts(long dropped, int depth, long refused) {}
}
