package io.dbwire.daemon.metrics;

import io.dbwire.core.pipeline.SensorStats;
import io.dbwire.daemon.sink.kafka.KafkaOutputStats;
import io.dbwire.daemon.sink.syslog.SyslogOutput;
import io.dbwire.daemon.health.Activity;
import io.dbwire.daemon.health.Health;
import io.dbwire.daemon.tls.KeyListener;
import java.util.List;

/** What the HTTP endpoint reads; implemented by the running daemon. Called from the HTTP thread. */
public interface MetricsSource {
    /** The latest snapshot published by the pipeline thread (the Sensor itself is not thread-safe). */
    SensorStats sensorStats();

    DaemonCounters counters();

    int queueDepth();

    /** False once the pipeline thread has died or stopped: /health then answers 503. */
    boolean healthy();

    long uptimeSeconds();

    /** The clock that stamps packets, as epoch microseconds. */
    default long nowMicros() {
        return io.dbwire.daemon.clock.MicrosClock.SYSTEM.nowMicros();
    }

    /** What the coverage checks say; ok when they are not running. */
    default Health health() {
        return Health.STARTING;
    }

    /** Tracked mirror sources and servers, for /status and /metrics; empty when none are tracked. */
    default List<Activity> activities() {
        return List.of();
    }

    /** Statement duration histograms per server label; empty when none are tracked. */
    default java.util.Map<String, io.dbwire.daemon.health.LatencyHistogram> latencies() {
        return java.util.Map.of();
    }

    /** Whether {@code a} has been quiet longer than its silence threshold now. */
    default boolean silent(Activity a) {
        return false;
    }

    /** Packets libpcap's kernel side dropped in live capture, or -1 without live capture. */
    default long captureKernelDrops() {
        return -1;
    }

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

    /** Each running HTTP server's refusals by server name (metrics, console, key_listener); empty when none. */
    default java.util.Map<String, io.dbwire.daemon.http.HttpCounts> httpServers() {
        return java.util.Map.of();
    }

    /** The alert file's spool in state.directory; null when there is none (alerts to standard output). */
    default io.dbwire.daemon.sink.AlertLog.SpoolStatus alertSpool() {
        return null;
    }

    /** The file outputs' write health (records file, alert file); empty when neither is a file. */
    default List<OutputStatus> outputs() {
        return List.of();
    }

    /**
     * One file output: failed writes so far, lines lost (records) or dropped beyond the wait queue (alerts), alerts
     * waiting to be retried, and the current failure ("No space left on device"), null while writes succeed.
     */
    record OutputStatus(String output, String file, long failedWrites, long dropped, long pending, String failure) {}
}
