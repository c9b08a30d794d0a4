package io.dbwire.daemon.config;

import static io.dbwire.daemon.config.ConfigValidator.bad;
import static io.dbwire.daemon.config.ConfigValidator.optionalPath;
import static io.dbwire.daemon.config.ConfigValidator.port;
import static io.dbwire.daemon.config.ConfigValidator.positive;
import static io.dbwire.daemon.config.ConfigValidator.section;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks the {@code outputs} section: Kafka and syslog. */
final class OutputsValidator {
    static final List<String> RECORD_KEYS = List.of("server", "connection");
    static final List<String> ACKS = List.of("all", "1", "0");
    static final List<String> COMPRESSIONS = List.of("none", "gzip", "snappy", "lz4", "zstd");
    static final List<String> RECORD_FORMATS = List.of("json", "ocsf", "otel");
    static final List<String> ALERT_FORMATS = List.of("json", "ocsf", "ecs", "cef");
    static final List<String> SYSLOG_FORMATS = List.of("json", "cef", "ocsf", "ecs");
    static final List<String> TRANSPORTS = List.of("tcp", "tls", "udp");
    /** Set by the output itself; a user value would break its delivery guarantees. */
    static final Set<String> RESERVED_PROPERTIES = Set.of("bootstrap.servers", "key.serializer",
            "value.serializer", "enable.idempotence", "acks", "compression.type");

    private OutputsValidator() {}

    static void validate(DaemonConfig.Outputs o) throws ConfigException {
        section("outputs", o);
        if (o.sensorName() != null && o.sensorName().isBlank()) {
            throw bad("outputs.sensor_name", "\"" + o.sensorName() + "\"", "a name or null (the host name)");
        }
        kafka(o.kafka());
        syslog(o.syslog());
    }

    private static void kafka(DaemonConfig.Kafka k) throws ConfigException {
        section("outputs.kafka", k);
        optionalPath("outputs.kafka.bootstrap_servers", k.bootstrapServers());
        optionalPath("outputs.kafka.records_topic", k.recordsTopic());
        optionalPath("outputs.kafka.alerts_topic", k.alertsTopic());
        oneOf("outputs.kafka.record_key", k.recordKey(), RECORD_KEYS);
        oneOf("outputs.kafka.acks", k.acks(), ACKS);
        oneOf("outputs.kafka.compression", k.compression(), COMPRESSIONS);
        positive("outputs.kafka.buffer_records", k.bufferRecords());
        positive("outputs.kafka.max_spool_bytes", k.maxSpoolBytes());
        oneOf("outputs.kafka.record_format", k.recordFormat(), RECORD_FORMATS);
        oneOf("outputs.kafka.alert_format", k.alertFormat(), ALERT_FORMATS);
        if (k.properties() == null) {
            throw bad("outputs.kafka.properties", null, "a mapping of producer properties (may be empty)");
        }
        for (Map.Entry<String, String> e : k.properties().entrySet()) {
            if (RESERVED_PROPERTIES.contains(e.getKey())) {
                throw bad("outputs.kafka.properties." + e.getKey(), e.getValue(),
                        "not set here: it has its own key in outputs.kafka or is fixed by dbwire");
            }
        }
    }

    private static void syslog(DaemonConfig.Syslog s) throws ConfigException {
        section("outputs.syslog", s);
        optionalPath("outputs.syslog.host", s.host());
        if (s.port() != null) {
            port("outputs.syslog.port", s.port(), false);
        }
        oneOf("outputs.syslog.transport", s.transport(), TRANSPORTS);
        oneOf("outputs.syslog.format", s.format(), SYSLOG_FORMATS);
        // RFC 5424 APP-NAME: 1 to 48 printable US-ASCII characters.
        if (s.appName() == null || !s.appName().matches("[\\x21-\\x7e]{1,48}")) {
            throw bad("outputs.syslog.app_name", s.appName(), "1 to 48 printable ASCII characters, no space");
        }
        optionalPath("outputs.syslog.ca_file", s.caFile());
        positive("outputs.syslog.buffer_alerts", s.bufferAlerts());
    }

    private static void oneOf(String key, String value, List<String> allowed) throws ConfigException {
        if (value == null || !allowed.contains(value)) {
            throw bad(key, value, "one of " + String.join(", ", allowed));
        }
    }
}
