package io.dbwire.daemon.sink.kafka;

import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.AlertSink;
import io.dbwire.daemon.sink.AlertFormatter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerts to a Kafka topic with no accepted alert lost: {@link #accept} writes the alert to the {@link AlertSpool}
 * on disk (that is acceptance), and a sender thread sends the spool in order, moving its acknowledged offset only
 * past alerts the broker confirmed. A broker outage or a restart of dbwire leaves the rest in the spool for later.
 * Delivery is at least once: after a failed batch, alerts the broker may already hold are sent again with the same
 * id.
 */
final class KafkaAlertSink implements AlertSink {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaAlertSink.class);
    private static final int BATCH = 500;
    private static final long RETRY_PAUSE_MS = 1000;

    private final AlertSpool spool;
    private final Producer<String, String> producer;
    private final String topic;
    private final AlertFormatter formatter;
    private final KafkaOutputStats stats;
    private final SparseLog failures = new SparseLog(LOG);
    private final Thread sender;
    private volatile boolean closing;
    /** Spool end offsets of alerts the broker confirmed beyond the acknowledged prefix: not sent again. */
    private final Set<Long> deliveredAhead = new HashSet<>();

    KafkaAlertSink(AlertSpool spool, Producer<String, String> producer, String topic, AlertFormatter formatter,
            KafkaOutputStats stats) {
        this.spool = spool;
        this.producer = producer;
        this.topic = topic;
        this.formatter = formatter;
        this.stats = stats;
        this.sender = new Thread(this::run, "dbwire-kafka-alerts");
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public void accept(Alert alert) {
        try {
            if (spool.append(KafkaKeys.alert(alert), formatter.format(alert))) {
                stats.alertsSpooled.incrementAndGet();
                return;
            }
            LOG.error("kafka: alert spool full (outputs.kafka.max_spool_bytes); alert {} {} not accepted",
                    alert.detection(), alert.id());
        } catch (IOException e) {
            LOG.error("kafka: alert spool not writable; alert {} {} not accepted", alert.detection(), alert.id(), e);
        }
        stats.alertsRefusedSpoolFull.incrementAndGet();
    }

    private void run() {
        while (!closing) {
            try {
                List<AlertSpool.Entry> batch = spool.peek(BATCH);
                if (batch.isEmpty()) {
                    spool.awaitPending(500);
                } else if (!deliver(batch) && !closing) {
                    Thread.sleep(RETRY_PAUSE_MS);
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                failures.warn("kafka: alert spool unreadable", e);
                try {
                    Thread.sleep(RETRY_PAUSE_MS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /**
     * Sends a batch and acknowledges its confirmed prefix; alerts confirmed after a failed one are remembered so a
     * retry does not send them twice. False when some of the batch must be sent again.
     */
    private boolean deliver(List<AlertSpool.Entry> batch) throws IOException {
        try {
            producer.partitionsFor(topic); // waits up to max.block.ms; throws while the broker is away
        } catch (KafkaException e) {
            stats.alertSendFailures.incrementAndGet();
            failures.warn("kafka: broker away, alerts kept in the spool for " + topic, e);
            return false;
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
        for (AlertSpool.Entry e : batch) {
            sent.add(deliveredAhead.contains(e.end()) ? null
                    : producer.send(new ProducerRecord<>(topic, e.key(), e.value())));
        }
        long confirmed = -1;
        boolean prefix = true;
        int newlyDelivered = 0;
        for (int i = 0; i < batch.size(); i++) {
            boolean ok = sent.get(i) == null || await(sent.get(i));
            if (ok && sent.get(i) != null) {
                newlyDelivered++;
            }
            if (ok && prefix) {
                confirmed = batch.get(i).end();
            } else if (ok) {
                deliveredAhead.add(batch.get(i).end());
            } else {
                prefix = false;
            }
        }
        stats.alertsSent.addAndGet(newlyDelivered);
        if (confirmed >= 0) {
            spool.ack(confirmed);
            long acked = confirmed;
            deliveredAhead.removeIf(end -> end <= acked);
        }
        return prefix;
    }

    private boolean await(Future<RecordMetadata> f) {
        try {
            f.get();
            return true;
        } catch (ExecutionException e) {
            stats.alertSendFailures.incrementAndGet();
            failures.warn("kafka: alert not delivered to " + topic + " (kept in the spool)", e.getCause());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Gives the sender {@code grace} to empty the spool; what is left is sent after the next start. */
    void close(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            while (spool.pendingBytes() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } catch (IOException | InterruptedException e) {
            LOG.debug("kafka: alert spool not drained at close", e);
        }
        closing = true;
        spool.wakeUp();
    }

    /** After the producer is closed (which fails the sender's outstanding sends). */
    void awaitSender() throws IOException {
        try {
            sender.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long pending = spool.pendingBytes();
        if (pending > 0) {
            LOG.info("kafka: {} bytes of alerts stay in the spool and are sent after the next start", pending);
        }
        spool.close();
    }
}
