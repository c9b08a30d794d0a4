package io.dbwire.daemon.config;

import static io.dbwire.daemon.config.ConfigValidator.bad;
import static io.dbwire.daemon.config.ConfigValidator.optionalPath;
import static io.dbwire.daemon.config.ConfigValidator.positive;
import static io.dbwire.daemon.config.ConfigValidator.section;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Checks the {@code detect} section, which only {@code dbwire detect} reads. */
final class DetectValidator {
    static final List<String> DETECTING_SENSORS = List.of("skip", "include");
    /** Set by {@code dbwire detect} itself: offsets are committed only after the alerts are handed off. */
    static final Set<String> RESERVED_PROPERTIES = Set.of("bootstrap.servers", "group.id", "key.deserializer",
            "value.deserializer", "enable.auto.commit", "auto.offset.reset");

    private DetectValidator() {}

    static void validate(DaemonConfig.Detect d) throws ConfigException {
        section("detect", d);
        optionalPath("detect.bootstrap_servers", d.bootstrapServers());
        if (d.recordsTopics() == null || d.recordsTopics().isEmpty()
                || d.recordsTopics().stream().anyMatch(t -> t == null || t.isBlank())) {
            throw bad("detect.records_topics", d.recordsTopics(), "a list of one or more topic names");
        }
        if (d.groupId() == null || d.groupId().isBlank()) {
            throw bad("detect.group_id", d.groupId(), "a consumer group name");
        }
        if (d.detectingSensors() == null || !DETECTING_SENSORS.contains(d.detectingSensors())) {
            throw bad("detect.detecting_sensors", d.detectingSensors(), "one of skip, include");
        }
        nonNegative("detect.reorder_window", d.reorderWindow());
        positive("detect.max_held_records", d.maxHeldRecords());
        positiveDuration("detect.commit_interval", d.commitInterval());
        positiveDuration("detect.snapshot_interval", d.snapshotInterval());
        optionalPath("detect.state_directory", d.stateDirectory());
        if (d.properties() == null) {
            throw bad("detect.properties", null, "a mapping of consumer properties (may be empty)");
        }
        for (String k : d.properties().keySet()) {
            if (RESERVED_PROPERTIES.contains(k)) {
                throw bad("detect.properties." + k, d.properties().get(k),
                        "not set here: it has its own key in detect or is fixed by dbwire");
            }
        }
    }

    private static void nonNegative(String key, Duration value) throws ConfigException {
        if (value == null || value.isNegative()) {
            throw bad(key, value == null ? null : DurationText.format(value), DurationText.EXPECTED);
        }
    }

    private static void positiveDuration(String key, Duration value) throws ConfigException {
        if (value == null || value.isZero() || value.isNegative()) {
            throw bad(key, value == null ? null : DurationText.format(value), "a positive " + DurationText.EXPECTED);
        }
    }
}
