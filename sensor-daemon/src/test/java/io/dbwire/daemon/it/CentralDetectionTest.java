package io.dbwire.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbwire.core.detect.alert.AlertJson;
import io.dbwire.daemon.cli.DbwireCli;
import io.dbwire.daemon.clock.MicrosClock;
import io.dbwire.daemon.config.ConfigLoader;
import io.dbwire.daemon.console.VxlanDatagrams;
import io.dbwire.daemon.lifecycle.Daemon;
import io.dbwire.daemon.sink.kafka.TopicReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Central detection end to end with real processes: a KRaft broker, {@code run} sensors fed VXLAN on loopback, and
 * {@code dbwire detect} instances as child JVMs in one consumer group. The bundled capture's twelve wrong passwords
 * are split over two sensors with detection off, so neither sees the ten that make {@code auth_bruteforce}; central
 * detection sees them all and raises what a replay of the whole capture raises, once, naming both sensors.
 */
class CentralDetectionTest {
    private static final Path CAPTURE = Path.of("../testdata/pg-basic-vxlan.pcap");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.startNew();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void twoSensorsWithoutDetectionEachSeeingHalfABruteForceGiveOneCentralAlertNamingBoth() throws Exception {
        createTopics(Map.of("fleet.records", 3, "fleet.alerts", 1));
        List<JsonNode> reference = replayAlerts();
        assertThat(reference).extracting(a -> a.get("detection").asText()).containsOnly("auth_bruteforce");

        Path shared = dir.resolve("shared-state");
        try (DetectProcess d1 = DetectProcess.start(dir.resolve("central-1"), detectYaml("central-1", "fleet", shared));
                DetectProcess d2 = DetectProcess.start(dir.resolve("central-2"), detectYaml("central-2", "fleet", shared))) {
            awaitGroup("fleet", 2, 3);
            Map<Integer, List<byte[]>> halves = splitByConnection(VxlanDatagrams.payloads(CAPTURE));
            Daemon a = sensor("sensor-a", false, "fleet.records", null);
            Daemon b = sensor("sensor-b", false, "fleet.records", null);
            try {
                VxlanDatagrams.send(halves.get(0), a.vxlanAddress());
                VxlanDatagrams.send(halves.get(1), b.vxlanAddress());
                awaitRecordsSent(a, halves.get(0).size());
                awaitRecordsSent(b, halves.get(1).size());
            } finally {
                a.stop();
                b.stop();
            }
            // Each sensor saw fewer wrong passwords than the threshold; together they saw them all.
            long failedA = failedLogins(dir.resolve("sensor-a/records.jsonl"));
            long failedB = failedLogins(dir.resolve("sensor-b/records.jsonl"));
            assertThat(failedA).isBetween(1L, 9L);
            assertThat(failedB).isBetween(1L, 9L);
            assertThat(failedA + failedB).isEqualTo(12);
            assertThat(Files.readAllLines(dir.resolve("sensor-a/alerts.jsonl"))).as("detection off").isEmpty();
            assertThat(Files.readAllLines(dir.resolve("sensor-b/alerts.jsonl"))).as("detection off").isEmpty();

            List<ConsumerRecord<String, String>> records = TopicReader.readUntil(broker.bootstrapServers(),
                    "fleet.records", l -> l.size() >= 30, Duration.ofSeconds(30));
            assertThat(records).hasSize(30);
            assertThat(records).extracting(r -> header(r, "dbwire.detection")).containsOnly("off");
            assertThat(records).extracting(r -> header(r, "dbwire.sensor")).containsOnly("sensor-a", "sensor-b");

            TopicReader.readUntil(broker.bootstrapServers(), "fleet.alerts", l -> !l.isEmpty(),
                    Duration.ofSeconds(60));
            // Stopping releases the partitions: the follow-up folding the last two failures is emitted then.
            assertThat(d1.stop()).as(d1.log()).isZero();
            assertThat(d2.stop()).as(d2.log()).isZero();
        }
        List<JsonNode> central = alerts("fleet.alerts", reference.size());
        assertSameDetections(central, reference);
        assertThat(central.get(0).get("observed").get("sensors").asText().split(","))
                .containsExactlyInAnyOrder("sensor-a", "sensor-b");
        assertThat(central.get(0).get("observed").get("connections").asText()).matches("sensor-[ab]/\\d+");
    }

    @Test
    void whenTheConsumerHoldingTheServersPartitionIsKilledTheOtherTakesOverWithNoAlertLostOrRepeated()
            throws Exception {
        createTopics(Map.of("takeover.records", 3, "takeover.alerts", 1));
        List<JsonNode> reference = replayAlerts();
        Path shared = dir.resolve("takeover-state");
        Map<String, DetectProcess> instances = new HashMap<>();
        Daemon a = null;
        Daemon b = null;
        try {
            for (String name : List.of("central-1", "central-2")) {
                instances.put(name, DetectProcess.start(dir.resolve(name), detectYaml(name, "takeover", shared)
                        + "  properties: {client.id: " + name + ", session.timeout.ms: '6000',"
                        + " heartbeat.interval.ms: '1000'}\n"));
            }
            awaitGroup("takeover", 2, 3);
            Map<Integer, List<byte[]>> halves = splitByConnection(VxlanDatagrams.payloads(CAPTURE));
            a = sensor("sensor-a", false, "takeover.records", null);
            VxlanDatagrams.send(halves.get(0), a.vxlanAddress());
            awaitRecordsSent(a, halves.get(0).size());
            long sentByA = a.kafkaStats().recordsSent();
            List<ConsumerRecord<String, String>> first = TopicReader.readUntil(broker.bootstrapServers(),
                    "takeover.records", l -> l.size() >= sentByA, Duration.ofSeconds(30));
            int partition = first.get(0).partition();
            assertThat(first).extracting(ConsumerRecord::partition).containsOnly(partition); // one server, one key
            awaitCommitted("takeover", new TopicPartition("takeover.records", partition), sentByA);

            String owner = owner("takeover", partition);
            instances.get(owner).kill(); // SIGKILL: no state saved, nothing released
            awaitGroup("takeover", 1, 3);

            b = sensor("sensor-b", false, "takeover.records", null);
            VxlanDatagrams.send(halves.get(1), b.vxlanAddress());
            awaitRecordsSent(b, halves.get(1).size());
            TopicReader.readUntil(broker.bootstrapServers(), "takeover.alerts", l -> !l.isEmpty(),
                    Duration.ofSeconds(60));
            String survivor = owner.equals("central-1") ? "central-2" : "central-1";
            assertThat(instances.get(survivor).stop()).isZero();
            // The survivor read sensor-a's records again (silently) and then sensor-b's.
            assertThat(instances.get(survivor).log()).contains("rebuilds its state from the start of the partition")
                    .contains(" alerts=" + reference.size() + " ");
            assertThat(Files.readAllLines(dir.resolve(owner).resolve("alerts.jsonl")))
                    .as("the killed instance had seen only sensor-a's failures").isEmpty();
        } finally {
            for (DetectProcess d : instances.values()) {
                d.close();
            }
            if (a != null) {
                a.stop();
            }
            if (b != null) {
                b.stop();
            }
        }
        assertSameDetections(alerts("takeover.alerts", reference.size()), reference);
    }

    /** Same detections, entities, evidence and folding as the replay; each alert once. */
    private static void assertSameDetections(List<JsonNode> central, List<JsonNode> reference) {
        assertThat(central).as("central alerts").hasSameSizeAs(reference);
        for (int i = 0; i < reference.size(); i++) {
            JsonNode want = reference.get(i);
            JsonNode got = central.get(i);
            for (String field : List.of("detection", "severity", "client", "server", "user", "database", "evidence",
                    "folded")) {
                assertThat(got.get(field)).as(field + " of alert " + i).isEqualTo(want.get(field));
            }
            assertThat(got.get("observed").get("failed_logins")).isEqualTo(want.get("observed").get("failed_logins"));
            assertThat(got.get("sensor").asText()).startsWith("central-");
        }
        assertThat(central).extracting(a -> a.get("id").asText()).doesNotHaveDuplicates();
    }

    @Test
    void aSensorThatDetectsItselfIsNotAlertedOnAgainCentrally() throws Exception {
        createTopics(Map.of("own.records", 2, "own.alerts", 1));
        try (DetectProcess d = DetectProcess.start(dir.resolve("central"), detectYaml("central", "own", dir.resolve("s")))) {
            awaitGroup("own", 1, 2);
            Daemon c = sensor("sensor-c", true, "own.records", "own.alerts");
            try {
                List<byte[]> all = VxlanDatagrams.payloads(CAPTURE);
                VxlanDatagrams.send(all, c.vxlanAddress());
                awaitRecordsSent(c, all.size());
                await(() -> c.kafkaStats().alertsSpooled() > 0
                        && c.kafkaStats().alertsSent() >= c.kafkaStats().alertsSpooled(), Duration.ofSeconds(60));
            } finally {
                c.stop();
            }
            Thread.sleep(3_000); // let central detection read everything the sensor wrote
            assertThat(d.stop()).isZero();
            assertThat(d.log()).contains("detect stopped: records=30 unreadable=0 of_detecting_sensors=30")
                    .contains(" alerts=0 ");
        }
        List<JsonNode> alerts = alerts("own.alerts", 2);
        assertThat(alerts).extracting(a -> a.get("sensor").asText()).containsOnly("sensor-c");
        assertThat(alerts).extracting(a -> a.get("id").asText()).doesNotHaveDuplicates();
        assertThat(Files.readAllLines(dir.resolve("central/alerts.jsonl"))).isEmpty();
    }

    /** The alerts of a replay of the whole capture with detection on: what central detection must match. */
    private static List<JsonNode> replayAlerts() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = DbwireCli.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), AlertJson::toJson,
                "replay", "--records", Files.createTempFile("replay", ".jsonl").toString(), CAPTURE.toString());
        assertThat(exit).isZero();
        List<JsonNode> alerts = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                alerts.add(JSON.readTree(line));
            }
        }
        return alerts;
    }

    private Daemon sensor(String name, boolean detection, String recordsTopic, String alertsTopic) throws Exception {
        Path home = dir.resolve(name);
        Files.createDirectories(home);
        String yaml = "listen: {address: 127.0.0.1, vxlan_port: 0, queue_packets: 4096}\n"
                + "metrics: {port: null}\n"
                + "console: {port: null}\n"
                + "alerts: {file: " + home.resolve("alerts.jsonl") + "}\n"
                + "records: {file: " + home.resolve("records.jsonl") + "}\n"
                + "state: {directory: " + home + "}\n"
                + "detection: {enabled: " + detection + "}\n"
                + "outputs:\n"
                + "  sensor_name: " + name + "\n"
                + "  kafka: {bootstrap_servers: '" + broker.bootstrapServers() + "', records_topic: " + recordsTopic
                + ", alerts_topic: " + (alertsTopic == null ? "null" : alertsTopic) + "}\n";
        Daemon d = new Daemon(new ConfigLoader().parse(yaml),
                new Daemon.Options(true, Duration.ofHours(1), MicrosClock.SYSTEM, AlertJson::toJson));
        d.start();
        return d;
    }

    private String detectYaml(String name, String prefix, Path sharedState) {
        Path home = dir.resolve(name);
        return "alerts: {file: " + home.resolve("alerts.jsonl") + "}\n"
                + "state: {directory: " + home + "}\n"
                + "outputs:\n"
                + "  sensor_name: " + name + "\n"
                + "  kafka: {bootstrap_servers: '" + broker.bootstrapServers() + "', alerts_topic: " + prefix
                + ".alerts}\n"
                + "detect:\n"
                + "  records_topics: [" + prefix + ".records]\n"
                + "  group_id: " + prefix + "\n"
                + "  state_directory: " + sharedState + "\n"
                + "  commit_interval: 1s\n";
    }

    /**
     * The VXLAN payloads split by TCP connection, alternating between two sensors in the order connections first
     * appear, as a load balancer spreading flows over two targets would.
     */
    static Map<Integer, List<byte[]>> splitByConnection(List<byte[]> payloads) {
        Map<Integer, Integer> sensorOfClientPort = new HashMap<>();
        Map<Integer, List<byte[]>> out = Map.of(0, new ArrayList<>(), 1, new ArrayList<>());
        for (byte[] p : payloads) {
            int clientPort = clientPort(p);
            int sensor = sensorOfClientPort.computeIfAbsent(clientPort, k -> sensorOfClientPort.size() % 2);
            out.get(sensor).add(p);
        }
        return out;
    }

    /** VXLAN (8) + Ethernet (14) + IPv4 + TCP: the port that is not 5432. */
    private static int clientPort(byte[] p) {
        int ip = 8 + 14;
        int tcp = ip + (p[ip] & 0x0f) * 4;
        int src = ((p[tcp] & 0xff) << 8) | (p[tcp + 1] & 0xff);
        int dst = ((p[tcp + 2] & 0xff) << 8) | (p[tcp + 3] & 0xff);
        return dst == 5432 ? src : dst;
    }

    private static long failedLogins(Path records) throws Exception {
        long n = 0;
        for (String line : Files.readAllLines(records)) {
            JsonNode r = JSON.readTree(line);
            if ("login".equals(r.get("kind").asText()) && "error".equals(r.get("status").asText())) {
                n++;
            }
        }
        return n;
    }

    private static void awaitRecordsSent(Daemon d, int packets) throws Exception {
        await(() -> d.sensorStats().packets() >= packets, Duration.ofSeconds(30));
        await(() -> d.sensorStats().records() > 0 && d.kafkaStats().recordsSent() >= d.sensorStats().records(),
                Duration.ofSeconds(60));
    }

    private static List<JsonNode> alerts(String topic, int atLeast) throws Exception {
        List<ConsumerRecord<String, String>> raw = TopicReader.readUntil(broker.bootstrapServers(), topic,
                l -> l.size() >= atLeast, Duration.ofSeconds(30));
        Thread.sleep(1_000);
        raw = TopicReader.readUntil(broker.bootstrapServers(), topic, l -> false, Duration.ofSeconds(3));
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<String, String> r : raw) {
            out.add(JSON.readTree(r.value()));
        }
        out.sort((x, y) -> x.get("ts").asText().compareTo(y.get("ts").asText()));
        return out;
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void createTopics(Map<String, Integer> partitions) throws Exception {
        try (Admin admin = admin()) {
            List<NewTopic> topics = new ArrayList<>();
            partitions.forEach((t, n) -> topics.add(new NewTopic(t, n, (short) 1)));
            admin.createTopics(topics).all().get();
        }
    }

    /** Until the group has {@code members} members and all {@code partitions} partitions are assigned. */
    private static void awaitGroup(String group, int members, int partitions) throws Exception {
        try (Admin admin = admin()) {
            await(() -> {
                try {
                    ConsumerGroupDescription g = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                    int assigned = 0;
                    for (MemberDescription m : g.members()) {
                        assigned += m.assignment().topicPartitions().size();
                    }
                    return g.members().size() == members && assigned == partitions
                            && g.members().stream().noneMatch(m -> m.assignment().topicPartitions().isEmpty());
                } catch (Exception e) {
                    return false;
                }
            }, Duration.ofSeconds(90));
        }
    }

    private static void awaitCommitted(String group, TopicPartition tp, long offset) throws Exception {
        try (Admin admin = admin()) {
            await(() -> {
                try {
                    OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                            .get(tp);
                    return o != null && o.offset() >= offset;
                } catch (Exception e) {
                    return false;
                }
            }, Duration.ofSeconds(60));
        }
    }

    /** The client id of the member that holds the partition of {@code group}'s records topic. */
    private static String owner(String group, int partition) throws Exception {
        try (Admin admin = admin()) {
            ConsumerGroupDescription g = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            for (MemberDescription m : g.members()) {
                for (TopicPartition tp : m.assignment().topicPartitions()) {
                    if (tp.partition() == partition) {
                        return m.clientId();
                    }
                }
            }
        }
        throw new AssertionError("no member of " + group + " holds partition " + partition);
    }

    private static Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return Admin.create(p);
    }

    private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout);
            }
            Thread.sleep(100);
        }
    }
}
