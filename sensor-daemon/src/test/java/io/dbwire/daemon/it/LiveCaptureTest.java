package io.dbwire.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbwire.core.detect.alert.AlertJson;
import io.dbwire.daemon.config.ConfigLoader;
import io.dbwire.daemon.lifecycle.Daemon;
import io.dbwire.daemon.clock.MicrosClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} with live capture on the loopback interface (as on a SPAN port) sees a real psql session. */
class LiveCaptureTest {
    @TempDir
    Path dir;

    @Test
    void runCapturingLoopbackRecordsARealSession() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(PostgresServer.available() && LoopbackCapture.available(),
                    "needs root, libpcap and Debian's postgresql-15 (CI installs them)");
        }
        try (PostgresServer server = PostgresServer.start()) {
            Path records = dir.resolve("records.jsonl");
            String yaml = "listen: {vxlan_port: null}\n"
                    + "capture: {interface: lo, filter: 'tcp port " + server.port() + "'}\n"
                    + "protocols: {postgresql: {ports: [" + server.port() + "]}}\n"
                    + "console: {port: null}\n" + "metrics: {port: null}\n"
                    + "alerts: {file: " + dir.resolve("alerts.jsonl") + "}\n"
                    + "records: {file: " + records + "}\n";
            Daemon daemon = new Daemon(new ConfigLoader().parse(yaml),
                    new Daemon.Options(true, Duration.ofHours(1), MicrosClock.SYSTEM, AlertJson::toJson));
            daemon.start();
            try {
                server.psql("disable", PostgresServer.APP_PASSWORD, "live-test",
                        List.of("-c", "SELECT 42 AS answer", "-c", "SELECT count(*) FROM pg_class"), null);
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (daemon.sensorStats().records() < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            } finally {
                daemon.stop();
            }
            List<String> lines = Files.readAllLines(records);
            assertThat(lines).hasSize(3);
            assertThat(lines.get(0)).contains("\"kind\":\"login\"", "\"application\":\"live-test\"", "\"status\":\"ok\"");
            assertThat(lines.get(1)).contains("\"text\":\"SELECT ? AS answer\"", "\"rows\":1");
            assertThat(lines.get(2)).contains("\"text\":\"SELECT count(*) FROM pg_class\"", "\"rows\":1");
        }
    }
}
