package io.dbwire.daemon.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbwire.core.detect.alert.AlertJson;
import io.dbwire.daemon.clock.MicrosClock;
import io.dbwire.daemon.config.ConfigLoader;
import io.dbwire.daemon.console.VxlanDatagrams;
import io.dbwire.daemon.fault.TinyDisk;
import io.dbwire.daemon.metrics.MetricsSource.OutputStatus;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} with its records and alert files on a disk that fills up (a real tmpfs, mounted by the test): the
 * pipeline keeps running, the failures are counted, /health says degraded with the reason, the alert raised
 * meanwhile is kept and written once the disk has room again, and both files end at a line boundary.
 */
class DaemonOutputFaultTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Path CAPTURE = Path.of("../testdata/pg-basic-vxlan.pcap");

    @TempDir
    Path dir;

    @Test
    void aFullDiskDegradesHealthKeepsTheAlertAndRecovers() throws Exception {
        try (TinyDisk disk = TinyDisk.mount(dir.resolve("disk"), 512 * 1024)) {
            assumeTrue(disk != null, "mounting a tmpfs needs root");
            Path alerts = disk.dir().resolve("alerts.jsonl");
            Path records = disk.dir().resolve("records.jsonl");
            String yaml = "listen: {address: 127.0.0.1, vxlan_port: 0}\n"
                    + "console: {port: null}\n" + "metrics: {address: 127.0.0.1, port: 0}\n"
                    + "alerts: {file: " + alerts + "}\n"
                    + "records: {file: " + records + "}\n"
                    + "state: {directory: " + dir.resolve("state") + "}\n";
            Daemon daemon = new Daemon(new ConfigLoader().parse(yaml),
                    new Daemon.Options(false, Duration.ofHours(1), MicrosClock.SYSTEM, AlertJson::toJson));
            daemon.start();
            List<byte[]> session = VxlanDatagrams.payloads(CAPTURE);
            try {
                disk.fill();
                VxlanDatagrams.send(session, daemon.vxlanAddress());

                awaitTrue(() -> daemon.sensorStats().packets() == session.size());
                awaitTrue(() -> status(daemon, "records").failure() != null);
                awaitTrue(() -> status(daemon, "alerts").pending() >= 1); // the auth_bruteforce alert waits
                assertThat(daemon.counters().pipelineErrors()).isZero();
                assertThat(daemon.healthy()).isTrue();
                String health = get(daemon.metricsAddress(), "/health");
                assertThat(health).startsWith("503 {\"status\":\"degraded\"")
                        .contains("records file " + records + ": cannot write (No space left on device)")
                        .contains("alerts file " + alerts + ": cannot write (No space left on device); 1 alerts kept");
                assertThat(get(daemon.metricsAddress(), "/metrics"))
                        .containsPattern("dbwire_output_write_errors_total\\{output=\"records\"} [1-9]")
                        .containsPattern("dbwire_output_dropped_total\\{output=\"records\"} [1-9]")
                        .contains("dbwire_output_pending{output=\"alerts\"} 1\n");

                disk.free();
                awaitTrue(() -> status(daemon, "alerts").pending() == 0); // retried without new input
                VxlanDatagrams.send(session, daemon.vxlanAddress()); // the pipeline is alive: records flow again
                awaitTrue(() -> daemon.sensorStats().packets() == 2L * session.size());
                awaitTrue(() -> status(daemon, "records").failure() == null);
                assertThat(get(daemon.metricsAddress(), "/health")).startsWith("200 {\"status\":\"ok\"");
            } finally {
                daemon.stop();
            }
            ObjectMapper json = new ObjectMapper();
            List<String> alertLines = Files.readAllLines(alerts);
            assertThat(alertLines).isNotEmpty();
            assertThat(json.readTree(alertLines.get(0)).get("detection").asText()).isEqualTo("auth_bruteforce");
            String recordText = Files.readString(records);
            assertThat(recordText).endsWith("\n");
            for (String line : recordText.split("\n")) {
                assertThat(json.readTree(line).get("kind")).as(line).isNotNull();
            }
        }
    }

    @Test
    void anAlertSpooledWhileTheDiskIsFullIsWrittenAtTheNextStart() throws Exception {
        try (TinyDisk disk = TinyDisk.mount(dir.resolve("disk"), 512 * 1024)) {
            assumeTrue(disk != null, "mounting a tmpfs needs root");
            Path alerts = disk.dir().resolve("alerts.jsonl");
            Path state = dir.resolve("state"); // a healthy disk
            String yaml = "listen: {address: 127.0.0.1, vxlan_port: 0}\n"
                    + "console: {port: null}\n" + "metrics: {address: 127.0.0.1, port: 0}\n"
                    + "alerts: {file: " + alerts + "}\n"
                    + "state: {directory: " + state + "}\n";
            List<byte[]> session = VxlanDatagrams.payloads(CAPTURE);
            Daemon first = new Daemon(new ConfigLoader().parse(yaml),
                    new Daemon.Options(false, Duration.ofHours(1), MicrosClock.SYSTEM, AlertJson::toJson));
            first.start();
            try {
                disk.fill();
                VxlanDatagrams.send(session, first.vxlanAddress());
                awaitTrue(() -> status(first, "alerts").pending() >= 1);
                assertThat(get(first.metricsAddress(), "/health")).startsWith("503 {\"status\":\"degraded\"")
                        .contains("1 alerts kept for retry (1 spooled in " + state.resolve("alert-spool.jsonl"));
                assertThat(get(first.metricsAddress(), "/metrics")).contains("dbwire_alert_spool_alerts 1\n")
                        .contains("dbwire_alert_spool_total{outcome=\"spooled\"} 1\n");
            } finally {
                first.stop(); // stopped while the disk is still full: the alert stays in the spool
            }
            List<String> spooled = Files.readAllLines(state.resolve("alert-spool.jsonl"));
            assertThat(spooled).isNotEmpty(); // the alert, and any the stop itself raised
            assertThat(spooled.get(0)).contains("\"detection\":\"auth_bruteforce\"");
            assertThat(Files.exists(alerts) ? Files.readAllLines(alerts) : List.of()).isEmpty();

            disk.free();
            Daemon second = new Daemon(new ConfigLoader().parse(yaml),
                    new Daemon.Options(false, Duration.ofHours(1), MicrosClock.SYSTEM, AlertJson::toJson));
            second.start();
            try {
                assertThat(Files.readAllLines(alerts)).containsExactlyElementsOf(spooled); // drained at start
                assertThat(status(second, "alerts").pending()).isZero();
                assertThat(get(second.metricsAddress(), "/metrics"))
                        .contains("dbwire_alert_spool_total{outcome=\"drained\"} " + spooled.size() + "\n")
                        .contains("dbwire_alert_spool_bytes 0\n");
            } finally {
                second.stop();
            }
            assertThat(Files.readAllLines(alerts)).containsExactlyElementsOf(spooled);
        }
    }

    private static OutputStatus status(Daemon daemon, String output) {
        return daemon.outputs().stream().filter(o -> o.output().equals(output)).findFirst().orElseThrow();
    }

    private static String get(InetSocketAddress http, String path) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + http.getPort() + path)
                .openConnection();
        c.setConnectTimeout(5_000);
        c.setReadTimeout(5_000);
        int status = c.getResponseCode();
        InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
        String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        c.disconnect();
        return status + " " + body;
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + DEADLINE);
            }
            Thread.sleep(20);
        }
    }
}
