package io.dbwire.daemon.sink.kafka;

import io.dbwire.core.detect.alert.AlertSink;
import io.dbwire.core.record.RecordSink;
import io.dbwire.daemon.config.DaemonConfig;
import io.dbwire.daemon.sink.AlertFormatter;
import io.dbwire.daemon.sink.RecordFormatter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka output (outputs.kafka): one idempotent producer shared by a record sink and an alert sink. Either topic
 * may be null, and then that sink is absent.
 */
public final class KafkaOutput implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaOutput.class);
    /** Alert spool file name (under state.directory), without extension. */
    public static final String SPOOL_NAME = "kafka-alerts";
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final Producer<String, String> producer;
    private final KafkaRecordSink records;
    private final KafkaAlertSink alerts;
    private final KafkaOutputStats stats;
    private boolean closed;

    private KafkaOutput(Producer<String, String> producer, KafkaRecordSink records, KafkaAlertSink alerts,
            KafkaOutputStats stats) {
        this.producer = producer;
        this.records = records;
        this.alerts = alerts;
        this.stats = stats;
    }

    /** For a sensor that runs detection itself. */
    public static KafkaOutput open(DaemonConfig.Kafka config, String sensorName, Path stateDirectory,
            RecordFormatter recordFormatter, AlertFormatter alertFormatter) throws IOException {
        return open(config, sensorName, true, stateDirectory, recordFormatter, alertFormatter);
    }

    /** {@code detecting} goes into every record's {@link RecordHeaders#DETECTION} header. */
    public static KafkaOutput open(DaemonConfig.Kafka config, String sensorName, boolean detecting,
            Path stateDirectory, RecordFormatter recordFormatter, AlertFormatter alertFormatter) throws IOException {
        Producer<String, String> producer = new KafkaProducer<>(producerProperties(config, sensorName));
        KafkaOutputStats stats = new KafkaOutputStats();
        KafkaRecordSink records = config.recordsTopic() == null ? null
                : new KafkaRecordSink(producer, config.recordsTopic(), "connection".equals(config.recordKey()),
                        config.bufferRecords(), recordFormatter, RecordHeaders.of(sensorName, detecting), stats);
        KafkaAlertSink alerts = null;
        if (config.alertsTopic() != null) {
            AlertSpool spool = AlertSpool.open(stateDirectory, SPOOL_NAME, config.maxSpoolBytes());
            alerts = new KafkaAlertSink(spool, producer, config.alertsTopic(), alertFormatter, stats);
        }
        return new KafkaOutput(producer, records, alerts, stats);
    }

    /**
     * Idempotent (no duplicates from the producer's own retries, order kept per partition) whenever acks is
     * {@code all}, which it must be for idempotence. {@code max.block.ms} is short because only dbwire's sender
     * threads call send: they wait, the packet path never does.
     */
    static Properties producerProperties(DaemonConfig.Kafka config, String sensorName) {
        Properties p = new Properties();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "dbwire-" + sensorName);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000");
        p.putAll(config.properties());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, config.acks());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.toString("all".equals(config.acks())));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.compression());
        return p;
    }

    /** Null when outputs.kafka.records_topic is null. */
    public RecordSink records() {
        return records;
    }

    /** Null when outputs.kafka.alerts_topic is null. */
    public AlertSink alerts() {
        return alerts;
    }

    public KafkaOutputStats stats() {
        return stats;
    }

    /** Sends what it can within a few seconds; unsent alerts stay spooled for the next start. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (records != null) {
            records.close(CLOSE_GRACE);
        }
        if (alerts != null) {
            alerts.close(CLOSE_GRACE);
        }
        producer.close(CLOSE_GRACE);
        if (alerts != null) {
            alerts.awaitSender();
        }
        LOG.info("kafka output closed: {}", stats);
    }
}
