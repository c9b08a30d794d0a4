package io.dbwire.daemon.lifecycle;

import io.dbwire.daemon.console.VxlanDatagrams;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.alert.AlertJson;
import io.dbwire.daemon.config.ConfigLoader;
import io.dbwire.daemon.it.KafkaBroker;
import io.dbwire.daemon.sink.kafka.TopicReader;
import io.dbwire.daemon.clock.MicrosClock;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} with outputs.kafka: the topics receive exactly what the record and alert files get. */
class DaemonKafkaTest {
    private static final Path CAPTURE = Path.of("../testdata/pg-basic-vxlan.pcap");

    @TempDir
    Path dir;

    @Test
    void runSendsItsRecordsAndAlertsToKafkaAsWellAsToTheFiles() throws Exception {
        try (KafkaBroker broker = KafkaBroker.startNew()) {
            String yaml = "listen: {address: 127.0.0.1, vxlan_port: 0, queue_packets: 4096}\n"
                    + "metrics: {port: null}\n"
                    + "alerts: {file: " + dir.resolve("alerts.jsonl") + "}\n"
                    + "records: {file: " + dir.resolve("records.jsonl") + "}\n"
                    + "state: {directory: " + dir + "}\n"
                    + "outputs:\n"
                    + "  sensor_name: sensor-a\n"
                    + "  kafka: {bootstrap_servers: '" + broker.bootstrapServers() + "', records_topic: recs,"
                    + " alerts_topic: alerts}\n";
            var config = new ConfigLoader().parse(yaml);
            List<byte[]> payloads = VxlanDatagrams.payloads(CAPTURE);
            Daemon daemon = new Daemon(config,
                    new Daemon.Options(true, Duration.ofHours(1), MicrosClock.SYSTEM, AlertJson::toJson));
            daemon.start();
            try (DatagramSocket socket = new DatagramSocket()) {
                for (byte[] p : payloads) {
                    socket.send(new DatagramPacket(p, p.length, daemon.vxlanAddress()));
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (daemon.sensorStats().packets() < payloads.size() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                // A running sensor, not one stopping at once: give the broker time to create the topics.
                deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while ((daemon.kafkaStats().recordsSent() < 30 || daemon.kafkaStats().alertsSpooled() == 0
                        || daemon.kafkaStats().alertsSent() < daemon.kafkaStats().alertsSpooled())
                        && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            } finally {
                daemon.stop();
            }
            List<String> fileRecords = Files.readAllLines(dir.resolve("records.jsonl"));
            List<String> fileAlerts = Files.readAllLines(dir.resolve("alerts.jsonl"));
            assertThat(fileRecords).hasSize(30);
            assertThat(fileAlerts).isNotEmpty();
            assertThat(daemon.kafkaStats().recordsSent()).isEqualTo(30);
            assertThat(daemon.kafkaStats().alertsSent()).isEqualTo(fileAlerts.size());

            List<ConsumerRecord<String, String>> records = TopicReader.readUntil(broker.bootstrapServers(), "recs",
                    l -> l.size() >= 30, Duration.ofSeconds(30));
            // One server in the capture: one key, one partition, the file's order.
            assertThat(records).extracting(ConsumerRecord::value).containsExactlyElementsOf(fileRecords);
            List<ConsumerRecord<String, String>> alerts = TopicReader.readUntil(broker.bootstrapServers(), "alerts",
                    l -> l.size() >= fileAlerts.size(), Duration.ofSeconds(30));
            assertThat(alerts).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(fileAlerts);
        }
    }
}
