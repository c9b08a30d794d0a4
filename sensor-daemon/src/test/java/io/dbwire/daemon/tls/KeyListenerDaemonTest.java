package io.dbwire.daemon.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbwire.core.detect.alert.AlertJson;
import io.dbwire.daemon.config.ConfigLoader;
import io.dbwire.daemon.lifecycle.Daemon;
import io.dbwire.daemon.lifecycle.DaemonStartException;
import io.dbwire.daemon.clock.MicrosClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} with tls.key_listener (and no key log directory): POSTed lines reach the engine's key store. */
class KeyListenerDaemonTest {
    private static final long DEADLINE_NANOS = Duration.ofSeconds(20).toNanos();
    private static final String TOKEN = "daemon-test-token-0123456789abcdefghij";

    @TempDir
    Path dir;

    private Daemon daemon(Path tokenFile) throws Exception {
        String yaml = "listen: {address: 127.0.0.1, vxlan_port: 0, queue_packets: 1024}\n"
                + "console: {port: null}\n" + "metrics: {address: 127.0.0.1, port: 0}\n"
                + "alerts: {file: " + dir.resolve("alerts.jsonl") + "}\n"
                + "state: {directory: " + dir + "}\n"
                + "tls: {key_ttl: 1m, key_listener: {address: 127.0.0.1, port: 0, token_file: " + tokenFile + "}}\n";
        return new Daemon(new ConfigLoader().parse(yaml),
                new Daemon.Options(false, Duration.ofHours(1), MicrosClock.SYSTEM, AlertJson::toJson));
    }

    @Test
    void postedLinesAreCountedInTheSensorStatsAndTheListenerInMetrics() throws Exception {
        Daemon daemon = daemon(Files.writeString(dir.resolve("token"), TOKEN + "\n"));
        daemon.start();
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String body = "CLIENT_RANDOM " + "11".repeat(32) + " " + "ab".repeat(48) + "\nnot a key line\n";
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + daemon.keyListenerAddress().getPort() + "/keys"))
                    .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"added\":1,\"ignored\":1,\"too_long\":0}\n");

            // The store's counters reach sensorStats() when the pipeline thread next publishes its snapshot.
            long start = System.nanoTime();
            Map<String, Long> counters = daemon.sensorStats().counters();
            while (counters.getOrDefault("tls.keylog.malformed", 0L) == 0 && System.nanoTime() - start < DEADLINE_NANOS) {
                Thread.sleep(100);
                counters = daemon.sensorStats().counters();
            }
            assertThat(counters).containsEntry("tls.keylog.added", 1L).containsEntry("tls.keylog.malformed", 1L);

            String metrics = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + daemon.metricsAddress().getPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("dbwire_key_listener_requests_total{outcome=\"accepted\"} 1\n",
                    "dbwire_key_listener_requests_total{outcome=\"refused\"} 0\n",
                    "dbwire_key_listener_lines_total{outcome=\"added\"} 1\n",
                    "dbwire_key_listener_lines_total{outcome=\"ignored\"} 1\n");
        } finally {
            daemon.stop();
        }
    }

    @Test
    void aShortTokenStopsTheStartNamingTheKey() throws Exception {
        Daemon daemon = daemon(Files.writeString(dir.resolve("token"), "too-short\n"));
        assertThatThrownBy(daemon::start).isInstanceOf(DaemonStartException.class)
                .hasMessageStartingWith("tls.key_listener.token_file: ")
                .hasMessageNotContaining("too-short\n");
        assertThat(daemon.keyListenerAddress()).isNull();
    }
}
