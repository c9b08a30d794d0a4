package io.dbwire.daemon.sink.kafka;

import io.dbwire.core.detect.alert.AlertJson;
import io.dbwire.core.record.RecordJson;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.daemon.config.DaemonConfig;
import io.dbwire.daemon.config.SensorConfigMapper;
import io.dbwire.daemon.it.KafkaBroker;
import io.dbwire.daemon.lifecycle.Replay;
import io.dbwire.daemon.sink.JsonLineWriter;
import io.dbwire.daemon.sink.RecordLineSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Throughput of the record outputs, printed as records/s: the file output (records.file) and the Kafka output
 * against a local single-node KRaft broker it starts. The records are the bundled capture's, cycled to the count
 * asked for. Not a test: run it by hand (docs/outputs.md gives the command).
 * <pre>KafkaThroughput [records, default 1000000]</pre>
 */
public final class KafkaThroughput {
    private KafkaThroughput() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        List<TransactionRecord> sample = new ArrayList<>();
        Replay.run(SensorConfigMapper.toSensorConfig(DaemonConfig.defaults()),
                List.of(Path.of("testdata/pg-basic-vxlan.pcap")), sample::add, a -> { });
        long bytes = sample.stream().mapToLong(r -> RecordJson.toJson(r).length() + 1).sum() / sample.size();
        System.out.printf("records: %d (the bundled capture's %d cycled), about %d bytes each as JSON%n",
                n, sample.size(), bytes);

        Path dir = Files.createTempDirectory("dbwire-throughput");
        for (int round = 0; round < 2; round++) { // the first round warms up the JIT
            Path file = dir.resolve("records.jsonl");
            long start = System.nanoTime();
            try (JsonLineWriter w = new JsonLineWriter(Files.newOutputStream(file), true)) {
                RecordLineSink sink = new RecordLineSink(w);
                for (int i = 0; i < n; i++) {
                    sink.accept(sample.get(i % sample.size()));
                }
            }
            report(round, "file output (records.file)", n, start);
            Files.delete(file);
        }

        try (KafkaBroker broker = KafkaBroker.startNew()) {
            DaemonConfig.Kafka d = DaemonConfig.defaults().outputs().kafka();
            for (int round = 0; round < 2; round++) {
                DaemonConfig.Kafka config = new DaemonConfig.Kafka(broker.bootstrapServers(), "bench" + round, null,
                        "server", "all", d.compression(), d.bufferRecords(), d.maxSpoolBytes(), "json", "json",
                        Map.of());
                try (KafkaOutput out = KafkaOutput.open(config, "bench", dir, RecordJson::toJson, AlertJson::toJson)) {
                    out.records().accept(sample.get(0)); // let the topic be created before the clock starts
                    while (out.stats().recordsSent() < 1) {
                        Thread.sleep(10);
                    }
                    long start = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        out.records().accept(sample.get(i % sample.size()));
                    }
                    long accepted = out.stats().recordsAccepted() - 1;
                    while (out.stats().recordsSent() + out.stats().recordsFailed() < accepted + 1) {
                        Thread.sleep(5);
                    }
                    report(round, "kafka output (acks=all, idempotent, " + d.compression() + ")", accepted, start);
                    System.out.printf("    offered %d, accepted %d, dropped (buffer of %d full) %d, failed %d%n", n,
                            accepted, d.bufferRecords(), out.stats().recordsDroppedFull(),
                            out.stats().recordsFailed());
                }
            }
        }
    }

    private static void report(int round, String what, long records, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf("%s %-45s %,12.0f records/s (%d in %.2f s)%n", round == 0 ? "warm-up" : "measured",
                what, records / seconds, records, seconds);
    }
}
