package io.dbwire.daemon.sink.kafka;

import io.dbwire.core.record.RecordSink;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.daemon.sink.RecordFormatter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records to a Kafka topic without ever holding up the pipeline thread: {@link #accept} only offers the record to a
 * bounded queue (full = dropped and counted); one sender thread renders and hands records to the producer, and that
 * thread is the one that waits when the broker is slow or away. While the broker is away the sender stops taking
 * records (it probes for the topic once per max.block.ms), so they stay in the queue up to its bound.
 */
final class KafkaRecordSink implements RecordSink {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaRecordSink.class);

    private final BlockingQueue<TransactionRecord> queue;
    private final Producer<String, String> producer;
    private final String topic;
    private final boolean keyByConnection;
    private final RecordFormatter formatter;
    private final List<Header> headers;
    private final KafkaOutputStats stats;
    private final SparseLog failures = new SparseLog(LOG);
    private final Thread sender;
    private volatile boolean closing;
    /**
     * True until the producer knows the topic's partitions (a topic being auto-created takes a moment), and again
     * when a send failed for want of them (the broker is away): no record is taken from the queue meanwhile.
     */
    private volatile boolean brokerAway = true;

    KafkaRecordSink(Producer<String, String> producer, String topic, boolean keyByConnection, int bound,
            RecordFormatter formatter, List<Header> headers, KafkaOutputStats stats) {
        this.queue = new ArrayBlockingQueue<>(bound);
        this.producer = producer;
        this.topic = topic;
        this.keyByConnection = keyByConnection;
        this.formatter = formatter;
        this.headers = headers;
        this.stats = stats;
        this.sender = new Thread(this::run, "dbwire-kafka-records");
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public void accept(TransactionRecord record) {
        if (queue.offer(record)) {
            stats.recordsAccepted.incrementAndGet();
        } else {
            stats.recordsDroppedFull.incrementAndGet();
        }
    }

    private void run() {
        while (!closing || !queue.isEmpty()) {
            if (brokerAway && !topicReachable()) {
                if (closing) {
                    return;
                }
                continue;
            }
            TransactionRecord r;
            try {
                r = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (r != null) {
                send(r);
            }
        }
    }

    private void send(TransactionRecord r) {
        try {
            producer.send(new ProducerRecord<>(topic, null, KafkaKeys.record(r, keyByConnection), formatter.format(r),
                    headers),
                    (metadata, error) -> {
                        if (error == null) {
                            stats.recordsSent.incrementAndGet();
                        } else {
                            stats.recordsFailed.incrementAndGet();
                            if (error instanceof TimeoutException) {
                                brokerAway = true;
                            }
                            failures.warn("kafka: record not delivered to " + topic, error);
                        }
                    });
        } catch (KafkaException e) {
            // send() gave up waiting for metadata or buffer space (max.block.ms): the broker is away.
            stats.recordsFailed.incrementAndGet();
            failures.warn("kafka: record not accepted by the producer for " + topic, e);
        }
    }

    /** Blocks up to max.block.ms while the broker cannot tell the topic's partitions. */
    private boolean topicReachable() {
        try {
            producer.partitionsFor(topic);
            brokerAway = false;
            return true;
        } catch (KafkaException e) {
            return false;
        }
    }

    /** Hands what is queued to the producer for at most {@code grace}; what is left is counted as dropped. */
    void close(Duration grace) {
        closing = true;
        try {
            sender.join(grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.interrupt();
        try {
            sender.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stats.recordsDroppedShutdown.addAndGet(queue.size());
        queue.clear();
    }
}
