package io.dbwire.daemon.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.alert.AlertJson;
import io.dbwire.daemon.config.ConfigLoader;
import io.dbwire.daemon.clock.MicrosClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} with tls.keylog_directory: lines written into the directory reach the engine's key store. */
class DaemonKeyLogTest {
    private static final long DEADLINE_NANOS = Duration.ofSeconds(20).toNanos();

    @TempDir
    Path dir;

    @Test
    void linesWrittenIntoTheDirectoryAreCountedInTheSensorStats() throws Exception {
        Path keys = Files.createDirectory(dir.resolve("keys"));
        String yaml = "listen: {address: 127.0.0.1, vxlan_port: 0, queue_packets: 1024}\n"
                + "console: {port: null}\n" + "metrics: {address: 127.0.0.1, port: null}\n"
                + "alerts: {file: " + dir.resolve("alerts.jsonl") + "}\n"
                + "state: {directory: " + dir + "}\n"
                + "tls: {keylog_directory: " + keys + ", key_ttl: 1m}\n";
        Daemon daemon = new Daemon(new ConfigLoader().parse(yaml),
                new Daemon.Options(false, Duration.ofHours(1), MicrosClock.SYSTEM, AlertJson::toJson));
        daemon.start();
        try {
            Files.writeString(keys.resolve("app.keys"), "CLIENT_RANDOM " + "11".repeat(32) + " " + "ab".repeat(48)
                    + "\nnot a key line\n");
            long start = System.nanoTime();
            Map<String, Long> counters = daemon.sensorStats().counters();
            while (counters.getOrDefault("tls.keylog.malformed", 0L) == 0 && System.nanoTime() - start < DEADLINE_NANOS) {
                Thread.sleep(100);
                counters = daemon.sensorStats().counters();
            }
            assertThat(counters).containsEntry("tls.keylog.added", 1L).containsEntry("tls.keylog.malformed", 1L);
            assertThat(daemon.sensorStats().problems()).containsKey("tls.keylog.malformed")
                    .doesNotContainKey("tls.keylog.added");
        } finally {
            daemon.stop();
        }
    }
}
