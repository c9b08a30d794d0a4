package io.dbwire.daemon.sink.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the Kafka output did. Records: every accepted record ends as sent, failed (the producer gave up, e.g. the
 * broker stayed away past delivery.timeout.ms) or dropped (buffer full, or still buffered at shutdown). Alerts:
 * every accepted alert is spooled to disk first and stays there until the broker acknowledged it.
 */
public final class KafkaOutputStats {
    final AtomicLong recordsAccepted = new AtomicLong();
    final AtomicLong recordsDroppedFull = new AtomicLong();
    final AtomicLong recordsDroppedShutdown = new AtomicLong();
    final AtomicLong recordsSent = new AtomicLong();
    final AtomicLong recordsFailed = new AtomicLong();
    final AtomicLong alertsSpooled = new AtomicLong();
    final AtomicLong alertsRefusedSpoolFull = new AtomicLong();
    final AtomicLong alertsSent = new AtomicLong();
    final AtomicLong alertSendFailures = new AtomicLong();

    public long recordsAccepted() { return recordsAccepted.get(); }
    public long recordsDroppedFull() { return recordsDroppedFull.get(); }
    public long recordsDroppedShutdown() { return recordsDroppedShutdown.get(); }
    public long recordsSent() { return recordsSent.get(); }
    public long recordsFailed() { return recordsFailed.get(); }
    public long alertsSpooled() { return alertsSpooled.get(); }
    public long alertsRefusedSpoolFull() { return alertsRefusedSpoolFull.get(); }
    public long alertsSent() { return alertsSent.get(); }
    public long alertSendFailures() { return alertSendFailures.get(); }

    /** Name → value, names as in /metrics after the {@code dbwire_kafka_} prefix. */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("records_accepted_total", recordsAccepted());
        m.put("records_dropped_buffer_full_total", recordsDroppedFull());
        m.put("records_dropped_shutdown_total", recordsDroppedShutdown());
        m.put("records_sent_total", recordsSent());
        m.put("records_failed_total", recordsFailed());
        m.put("alerts_spooled_total", alertsSpooled());
        m.put("alerts_refused_spool_full_total", alertsRefusedSpoolFull());
        m.put("alerts_sent_total", alertsSent());
        m.put("alert_send_failures_total", alertSendFailures());
        return m;
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
