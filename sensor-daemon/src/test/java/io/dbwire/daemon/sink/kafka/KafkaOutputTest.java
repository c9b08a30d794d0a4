package io.dbwire.daemon.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.AlertJson;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.record.DatabaseProtocol;
import io.dbwire.core.record.Endpoint;
import io.dbwire.core.record.RecordJson;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.SessionInfo;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.daemon.config.DaemonConfig;
import io.dbwire.daemon.it.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka output against a real KRaft broker (one per class), including the broker going away and back. */
class KafkaOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KafkaBroker broker;

    @TempDir
    Path state;

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
    void recordsAndAlertsArriveKeyedByServerAndByDetectionAndEntity() throws Exception {
        DaemonConfig.Kafka config = config("t1.records", "t1.alerts", 10_000);
        try (KafkaOutput out = open(config)) {
            for (int i = 0; i < 300; i++) {
                out.records().accept(record(i, "10.0.0." + (i % 3 + 1)));
            }
            out.alerts().accept(alert("a1", "auth_bruteforce", "10.9.9.9"));
            out.alerts().accept(alert("a2", "new_client", "10.9.9.8"));
            awaitTrue(() -> out.stats().recordsSent() == 300 && out.stats().alertsSent() == 2);
        }
        List<ConsumerRecord<String, String>> records = TopicReader.readUntil(broker.bootstrapServers(), "t1.records",
                l -> l.size() >= 300, Duration.ofSeconds(30));
        assertThat(records).hasSize(300);
        assertThat(records).extracting(ConsumerRecord::key)
                .containsOnly("10.0.0.1:5432", "10.0.0.2:5432", "10.0.0.3:5432");
        // One server, one partition, in order: a per-server consumer sees its records as the sensor emitted them.
        Map<String, Set<Integer>> partitionsByKey = records.stream().collect(Collectors.groupingBy(
                ConsumerRecord::key, Collectors.mapping(ConsumerRecord::partition, Collectors.toSet())));
        assertThat(partitionsByKey.values()).allSatisfy(p -> assertThat(p).hasSize(1));
        List<Long> ids = records.stream().filter(r -> r.key().equals("10.0.0.1:5432"))
                .map(r -> json(r.value()).get("connection_id").asLong()).toList();
        assertThat(ids).isSorted().hasSize(100);
        assertThat(records.get(0).value()).isEqualTo(RecordJson.toJson(record(
                json(records.get(0).value()).get("connection_id").asInt(), records.get(0).key().split(":")[0])));

        List<ConsumerRecord<String, String>> alerts = TopicReader.readUntil(broker.bootstrapServers(), "t1.alerts",
                l -> l.size() >= 2, Duration.ofSeconds(30));
        assertThat(alerts).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("auth_bruteforce|10.9.9.9|10.0.0.5:5432|app",
                        "new_client|10.9.9.8|10.0.0.5:5432|app");
        assertThat(alerts).extracting(r -> json(r.value()).get("id").asText()).containsExactlyInAnyOrder("a1", "a2");
        assertThat(Files.size(state.resolve(KafkaOutput.SPOOL_NAME + ".spool"))).isZero();
    }

    @Test
    void recordsWaitInTheBufferWhileTheBrokerIsAwayAndAreSentWhenItReturns() throws Exception {
        DaemonConfig.Kafka config = config("t2.records", null, 10_000);
        KafkaOutputStats stats;
        try (KafkaOutput out = open(config)) {
            stats = out.stats();
            for (int i = 0; i < 10; i++) {
                out.records().accept(record(i, "10.0.1.1"));
            }
            awaitTrue(() -> out.stats().recordsSent() == 10); // the producer knows the topic's partitions
            broker.stop();
            for (int i = 10; i < 510; i++) {
                out.records().accept(record(i, "10.0.1.1"));
            }
            Thread.sleep(3000);
            // The one record that found the broker gone fails; the sender then stops taking records, so the rest
            // wait in the buffer.
            assertThat(out.stats().recordsSent()).isEqualTo(10);
            assertThat(out.stats().recordsFailed()).isLessThanOrEqualTo(1);
            broker.start();
            awaitTrue(() -> out.stats().recordsSent() + out.stats().recordsFailed() == 510);
            assertThat(out.stats().recordsDroppedFull()).isZero();
            assertThat(out.stats().recordsFailed()).isLessThanOrEqualTo(1);
        }
        List<ConsumerRecord<String, String>> records = TopicReader.readUntil(broker.bootstrapServers(), "t2.records",
                l -> l.size() >= stats.recordsSent(), Duration.ofSeconds(20));
        // idempotent producer: the retries across the outage added no duplicate
        assertThat((long) records.size()).isEqualTo(stats.recordsSent());
        assertThat(records).extracting(r -> json(r.value()).get("connection_id").asLong()).doesNotHaveDuplicates();
        assertThat(records).extracting(r -> json(r.value()).get("connection_id").asLong()).isSorted();
    }

    /** One outage (a broker restart costs seconds) for both: records beyond the bound, and spooled alerts. */
    @Test
    void whileTheBrokerIsAwayRecordsBeyondTheBoundAreDroppedAndAlertsAreKeptUntilItReturns() throws Exception {
        DaemonConfig.Kafka config = config(null, "t4.alerts", 10_000);
        broker.stop();
        try {
            aFullBufferDropsAndCountsWithoutHoldingUpTheCaller();
            try (KafkaOutput first = open(config)) {
                for (int i = 0; i < 10; i++) {
                    first.alerts().accept(alert("b" + i, "error_burst", "10.8.0." + i));
                }
                assertThat(first.stats().alertsSpooled()).isEqualTo(10);
            } // closed with the broker still away: the alerts stay in the spool
            assertThat(Files.size(state.resolve(KafkaOutput.SPOOL_NAME + ".spool"))).isPositive();
            try (KafkaOutput second = open(config)) {
                for (int i = 10; i < 20; i++) {
                    second.alerts().accept(alert("b" + i, "error_burst", "10.8.0." + i));
                }
                broker.start();
                awaitTrue(() -> second.stats().alertsSent() >= 20);
            }
        } finally {
            if (!brokerUp()) {
                broker.start();
            }
        }
        List<ConsumerRecord<String, String>> alerts = TopicReader.readUntil(broker.bootstrapServers(), "t4.alerts",
                l -> l.size() >= 20, Duration.ofSeconds(30));
        assertThat(alerts).extracting(r -> json(r.value()).get("id").asText()).containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.range(0, 20).mapToObj(i -> "b" + i).toList());
        assertThat(Files.size(state.resolve(KafkaOutput.SPOOL_NAME + ".spool"))).isZero();
    }

    /** With the broker away. */
    private void aFullBufferDropsAndCountsWithoutHoldingUpTheCaller() throws Exception {
        try (KafkaOutput out = open(config("t3.records", null, 10))) {
            long start = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                out.records().accept(record(i, "10.0.2.1"));
            }
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            // The sender waits max.block.ms (1 s) per probe for partitions it cannot learn; accept() never does.
            assertThat(elapsedMs).isLessThan(1000);
            assertThat(out.stats().recordsAccepted() + out.stats().recordsDroppedFull()).isEqualTo(1000);
            assertThat(out.stats().recordsDroppedFull()).isGreaterThanOrEqualTo(1000 - 10 - 2);
            out.close();
            KafkaOutputStats s = out.stats();
            assertThat(s.recordsSent() + s.recordsFailed() + s.recordsDroppedShutdown()).isEqualTo(s.recordsAccepted());
        }
    }

    private static boolean brokerUp() {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1",
                    Integer.parseInt(broker.bootstrapServers().split(":")[1])), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private KafkaOutput open(DaemonConfig.Kafka config) throws Exception {
        return KafkaOutput.open(config, "test-sensor", state, RecordJson::toJson, AlertJson::toJson);
    }

    private static DaemonConfig.Kafka config(String recordsTopic, String alertsTopic, int bufferRecords) {
        DaemonConfig.Kafka d = DaemonConfig.defaults().outputs().kafka();
        return new DaemonConfig.Kafka(broker.bootstrapServers(), recordsTopic, alertsTopic, "server", "all",
                d.compression(), bufferRecords, d.maxSpoolBytes(), "json", "json",
                Map.of("reconnect.backoff.max.ms", "500"));
    }

    static TransactionRecord record(int connectionId, String serverIp) {
        return TransactionRecord.builder(RecordKind.values()[0], DatabaseProtocol.POSTGRESQL)
                .ts(1_700_000_000_000_000L + connectionId).connection(connectionId, -1)
                .client(new Endpoint("10.1.0.9", 40000)).server(new Endpoint(serverIp, 5432))
                .session(new SessionInfo("app", "shop", null, false, false)).build();
    }

    static Alert alert(String id, String detection, String clientIp) {
        return new Alert(1_700_000_000_000_000L, id, detection, Severity.HIGH, "summary", "T1110", 50.0, clientIp,
                new Endpoint("10.0.0.5", 5432), "app", "shop", 1L, 2L, Map.of("n", 1), Map.of(), List.of("e"), 0);
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(s, e);
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 60 s");
            }
            Thread.sleep(100);
        }
    }
}
