package io.dbwire.daemon.sink.network;

import io.dbwire.core.detect.alert.AlertSink;
import io.dbwire.core.record.RecordSink;
import io.dbwire.daemon.config.DaemonConfig;
import io.dbwire.daemon.sink.AlertFormatter;
import io.dbwire.daemon.sink.format.Formats;
import io.dbwire.daemon.sink.kafka.KafkaOutput;
import io.dbwire.daemon.sink.kafka.KafkaOutputStats;
import io.dbwire.daemon.sink.syslog.SyslogOutput;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outputs of the {@code outputs} section (Kafka, syslog) beside the local files: opened at start, fed by
 * fanning out the record and alert sinks, closed after the pipeline has drained.
 */
public final class NetworkOutputs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkOutputs.class);

    private final List<RecordSink> records = new ArrayList<>();
    private final List<AlertSink> alerts = new ArrayList<>();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private KafkaOutput kafka;
    private SyslogOutput syslog;

    private NetworkOutputs() {}

    /** Opens every configured output; on failure closes those already open. */
    public static NetworkOutputs open(DaemonConfig config, AlertFormatter alertJson) throws IOException {
        return open(config, alertJson, true);
    }

    /** The alert outputs only: for {@code dbwire detect}, which reads records and must not write them again. */
    public static NetworkOutputs openForAlerts(DaemonConfig config, AlertFormatter alertJson) throws IOException {
        return open(config, alertJson, false);
    }

    private static NetworkOutputs open(DaemonConfig config, AlertFormatter alertJson, boolean withRecords)
            throws IOException {
        NetworkOutputs outputs = new NetworkOutputs();
        try {
            DaemonConfig.Outputs o = config.outputs();
            String sensor = sensorName(o);
            DaemonConfig.Kafka k = withRecords ? o.kafka() : withoutRecords(o.kafka());
            if (k.bootstrapServers() != null) {
                outputs.kafka = KafkaOutput.open(k, sensor, config.detection().on(),
                        Path.of(config.state().directory()),
                        Formats.record(k.recordFormat(), sensor), Formats.alert(k.alertFormat(), alertJson, sensor));
                outputs.add(outputs.kafka, outputs.kafka.records(), outputs.kafka.alerts());
            }
            DaemonConfig.Syslog sl = o.syslog();
            if (sl.host() != null) {
                outputs.syslog = SyslogOutput.open(sl, sensor, Formats.alert(sl.format(), alertJson, sensor));
                outputs.add(outputs.syslog, null, outputs.syslog);
            }
        } catch (IOException | RuntimeException e) {
            outputs.close();
            throw e;
        }
        return outputs;
    }

    private static DaemonConfig.Kafka withoutRecords(DaemonConfig.Kafka k) {
        return new DaemonConfig.Kafka(k.bootstrapServers(), null, k.alertsTopic(), k.recordKey(), k.acks(),
                k.compression(), k.bufferRecords(), k.maxSpoolBytes(), k.recordFormat(), k.alertFormat(),
                k.properties());
    }

    /** outputs.sensor_name, else the host name, else "dbwire". */
    public static String sensorName(DaemonConfig.Outputs o) {
        if (o.sensorName() != null) {
            return o.sensorName();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "dbwire";
        }
    }

    private void add(AutoCloseable output, RecordSink r, AlertSink a) {
        opened.add(output);
        if (r != null) {
            records.add(r);
        }
        if (a != null) {
            alerts.add(a);
        }
    }

    /** {@code local} plus every network output that takes records. */
    public RecordSink records(RecordSink local) {
        if (records.isEmpty()) {
            return local;
        }
        List<RecordSink> all = new ArrayList<>(records);
        all.add(0, local);
        RecordSink[] sinks = all.toArray(RecordSink[]::new);
        return r -> {
            for (RecordSink s : sinks) {
                s.accept(r);
            }
        };
    }

    /** {@code local} plus every network output that takes alerts. */
    public AlertSink alerts(AlertSink local) {
        if (alerts.isEmpty()) {
            return local;
        }
        List<AlertSink> all = new ArrayList<>(alerts);
        all.add(0, local);
        AlertSink[] sinks = all.toArray(AlertSink[]::new);
        return a -> {
            for (AlertSink s : sinks) {
                s.accept(a);
            }
        };
    }

    /**
     * True when every alert offered so far has been taken by its output: spooled to disk for Kafka (at offer
     * time), written to the receiver for syslog (whose queue is in memory). {@code dbwire detect} commits offsets
     * only then.
     */
    public boolean alertsHandedOff() {
        if (syslog == null) {
            return true;
        }
        SyslogOutput.Stats s = syslog.stats();
        return s.sent() + s.droppedShutdown() >= s.accepted();
    }

    /** Null when outputs.kafka is off. */
    public KafkaOutputStats kafkaStats() {
        return kafka == null ? null : kafka.stats();
    }

    /** Null when outputs.syslog is off. */
    public SyslogOutput.Stats syslogStats() {
        return syslog == null ? null : syslog.stats();
    }

    @Override
    public void close() {
        for (AutoCloseable c : opened) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing an output failed", e);
            }
        }
        opened.clear();
    }
}
