package io.dbwire.daemon.central;

import io.dbwire.core.detect.alert.AlertSink;
import io.dbwire.daemon.clock.MicrosClock;
import io.dbwire.core.config.PolicyConfig;
import io.dbwire.daemon.config.ConfigException;
import io.dbwire.daemon.config.DaemonConfig;
import io.dbwire.daemon.config.PolicyLoader;
import io.dbwire.daemon.config.SensorConfigMapper;
import io.dbwire.daemon.sink.AlertFormatter;
import io.dbwire.daemon.sink.AlertLog;
import io.dbwire.daemon.sink.AlertLogSink;
import io.dbwire.daemon.sink.format.AlertJsonPlus;
import io.dbwire.daemon.sink.network.NetworkOutputs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code dbwire detect} as an object: opens the alert outputs (alerts.file, outputs.kafka.alerts_topic,
 * outputs.syslog; never the records outputs), starts {@link CentralDetection} on the {@code detect} settings, and on
 * {@link #stop()} releases the partitions and closes the outputs, in that order.
 */
public final class DetectService implements AutoCloseable {
    /** Command-line values that replace the {@code detect} section's; null = the section's. */
    public record Overrides(String bootstrapServers, List<String> topics, String groupId) {
        public static final Overrides NONE = new Overrides(null, null, null);
    }

    private final AlertLog alertLog;
    private final NetworkOutputs outputs;
    private final CentralDetection detection;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private DetectService(AlertLog alertLog, NetworkOutputs outputs, CentralDetection detection) {
        this.alertLog = alertLog;
        this.outputs = outputs;
        this.detection = detection;
    }

    /** @throws IllegalArgumentException naming the key when no broker is configured or an output cannot open */
    public static DetectService start(DaemonConfig config, Overrides overrides, AlertFormatter alertJson,
            MicrosClock clock) {
        return start(config, policy(config), overrides, alertJson, clock);
    }

    /** With the configuration's policy as its loader already read it. */
    public static DetectService start(DaemonConfig config, PolicyConfig policy, Overrides overrides,
            AlertFormatter alertJson, MicrosClock clock) {
        CentralDetection.Settings settings = settings(config, policy, overrides);
        AlertLog log;
        try {
            log = AlertLog.open(config.alerts().file(), config.alerts().rotation());
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        NetworkOutputs outputs;
        try {
            outputs = NetworkOutputs.openForAlerts(config, alertJson);
        } catch (IOException | RuntimeException e) {
            log.close();
            throw new IllegalArgumentException("outputs: " + e.getMessage(), e);
        }
        AlertSink alerts = outputs.alerts(new AlertLogSink(log.logger(),
                new AlertJsonPlus(alertJson, NetworkOutputs.sensorName(config.outputs()))));
        return new DetectService(log, outputs,
                CentralDetection.start(settings, alerts, outputs::alertsHandedOff, clock));
    }

    static CentralDetection.Settings settings(DaemonConfig config, Overrides o) {
        return settings(config, policy(config), o);
    }

    static CentralDetection.Settings settings(DaemonConfig config, PolicyConfig policy, Overrides o) {
        DaemonConfig.Detect d = config.detect();
        String bootstrap = o.bootstrapServers() != null ? o.bootstrapServers()
                : d.bootstrapServers() != null ? d.bootstrapServers() : config.outputs().kafka().bootstrapServers();
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("detect.bootstrap_servers: null (expected: the Kafka brokers, here, in"
                    + " outputs.kafka.bootstrap_servers or with --bootstrap-servers)");
        }
        List<String> topics = o.topics() != null && !o.topics().isEmpty() ? o.topics() : d.recordsTopics();
        String group = o.groupId() != null ? o.groupId() : d.groupId();
        Path state = Path.of(d.stateDirectory() != null ? d.stateDirectory() : config.state().directory());
        return new CentralDetection.Settings(bootstrap, topics, group, "skip".equals(d.detectingSensors()),
                d.reorderWindow(), d.maxHeldRecords(), d.commitInterval(), d.snapshotInterval(), state,
                d.properties(), SensorConfigMapper.toSensorConfig(config, policy).detection());
    }

    /** The DAM policy of {@code detection.policy}, so central detection applies the same rules as a sensor. */
    private static PolicyConfig policy(DaemonConfig config) {
        try {
            return new PolicyLoader().forConfig(config);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public CentralStats stats() {
        return detection.stats();
    }

    public int assignedPartitions() {
        return detection.assignedPartitions();
    }

    public boolean alive() {
        return detection.alive();
    }

    /** Partitions released (state saved, offsets committed), then the outputs flushed and closed. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        detection.close();
        outputs.close();
        alertLog.close();
    }

    @Override
    public void close() {
        stop();
    }
}
