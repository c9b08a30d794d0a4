package io.dbwire.daemon.central;

import io.dbwire.core.config.DetectionConfig;
import io.dbwire.core.detect.alert.AlertSink;
import io.dbwire.core.record.RecordJsonReader;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.daemon.clock.MicrosClock;
import io.dbwire.daemon.sink.kafka.RecordHeaders;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code dbwire detect}: reads the records topics of a fleet of sensors as one member of a consumer group, runs
 * detection per partition ({@link PartitionDetector}) and writes alerts to the alert outputs. Offsets are committed
 * only up to records whose alerts every output has taken; each partition's state is saved with the offset it
 * covers, so whoever is assigned the partition next resumes its baselines (docs/scale.md). One consumer thread
 * does everything.
 */
public final class CentralDetection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CentralDetection.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** Longest a revoke or shutdown waits for the alert outputs before committing anyway is given up. */
    private static final long HAND_OFF_WAIT_MS = 5_000;
    private static final long STATS_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int LOGGED_BAD_RECORDS = 5;

    /**
     * @param skipDetectingSensors records whose sensor runs detection itself are not alerted on again
     * @param stateDirectory       per-partition state (detect.state_directory)
     */
    public record Settings(String bootstrapServers, List<String> topics, String groupId, boolean skipDetectingSensors,
            Duration reorderWindow, int maxHeldRecords, Duration commitInterval, Duration snapshotInterval,
            Path stateDirectory, Map<String, String> properties, DetectionConfig detection) {}

    private final Settings settings;
    private final AlertSink alerts;
    private final BooleanSupplier alertsHandedOff;
    private final MicrosClock clock;
    private final KafkaConsumer<String, String> consumer;
    private final PartitionStateStore store;
    private final ConnectionOrigins origins = new ConnectionOrigins();
    private final Map<TopicPartition, PartitionDetector> partitions = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final CentralStats stats = new CentralStats();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile int assigned;
    private long badRecordsLogged;

    private CentralDetection(Settings settings, AlertSink alerts, BooleanSupplier alertsHandedOff, MicrosClock clock) {
        this.settings = settings;
        this.alertsHandedOff = alertsHandedOff;
        this.clock = clock;
        this.consumer = new KafkaConsumer<>(consumerProperties(settings));
        this.store = new PartitionStateStore(settings.stateDirectory());
        this.alerts = alerts;
        this.thread = new Thread(this::run, "dbwire-detect");
    }

    /**
     * Subscribes and starts the consumer thread.
     *
     * @param alertsHandedOff true when every alert given to {@code alerts} so far has been taken by its outputs
     */
    public static CentralDetection start(Settings settings, AlertSink alerts, BooleanSupplier alertsHandedOff,
            MicrosClock clock) {
        CentralDetection d = new CentralDetection(settings, alerts, alertsHandedOff, clock);
        d.thread.start();
        return d;
    }

    static Properties consumerProperties(Settings s) {
        Properties p = new Properties();
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "dbwire-detect");
        // Only the partitions that move are revoked, so a rebalance does not reload every partition's state.
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.putAll(s.properties());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, s.groupId());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // A new group learns from what the topics still hold.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }

    public CentralStats stats() {
        return stats;
    }

    /** Partitions this instance holds now. */
    public int assignedPartitions() {
        return assigned;
    }

    public boolean alive() {
        return thread.isAlive();
    }

    private void run() {
        long now = System.nanoTime();
        long nextCommit = now;
        long nextSnapshot = now + settings.snapshotInterval().toNanos();
        long nextStats = now + STATS_INTERVAL_NANOS;
        long idleNanos = Math.max(settings.reorderWindow().toNanos(), TimeUnit.SECONDS.toNanos(1));
        try {
            consumer.subscribe(settings.topics(), new Rebalance());
            while (!stopping) {
                for (ConsumerRecord<String, String> cr : consumer.poll(POLL)) {
                    handle(cr, System.nanoTime());
                }
                now = System.nanoTime();
                long wall = clock.nowMicros();
                for (PartitionDetector p : partitions.values()) {
                    p.idle(now, idleNanos, wall);
                }
                if (now - nextSnapshot >= 0) {
                    saveAll();
                    nextSnapshot = now + settings.snapshotInterval().toNanos();
                }
                if (now - nextCommit >= 0) {
                    commit(partitions.keySet(), 0);
                    nextCommit = now + settings.commitInterval().toNanos();
                }
                if (now - nextStats >= 0) {
                    LOG.info("detect: {}", stats);
                    nextStats = now + STATS_INTERVAL_NANOS;
                }
            }
        } catch (WakeupException e) {
            if (!stopping) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("detect: consumer loop failed; stopping", e);
        } finally {
            shutdown();
        }
    }

    private void handle(ConsumerRecord<String, String> cr, long nowNanos) {
        PartitionDetector p = partitions.get(new TopicPartition(cr.topic(), cr.partition()));
        if (p == null) {
            return; // not assigned any more (revoked within this poll)
        }
        stats.recordsRead.incrementAndGet();
        if (settings.skipDetectingSensors() && "on".equals(RecordHeaders.text(cr.headers(), RecordHeaders.DETECTION))) {
            stats.recordsOfDetectingSensors.incrementAndGet();
            p.pass(cr.offset(), nowNanos);
            return;
        }
        TransactionRecord r;
        try {
            r = RecordJsonReader.read(cr.value());
        } catch (RecordJsonReader.BadRecord e) {
            stats.recordsUnreadable.incrementAndGet();
            if (badRecordsLogged++ < LOGGED_BAD_RECORDS) {
                LOG.warn("detect: {}-{} offset {} is not a record (record_format must be json): {}", cr.topic(),
                        cr.partition(), cr.offset(), e.getMessage());
            }
            p.pass(cr.offset(), nowNanos);
            return;
        }
        int sensor = origins.index(RecordHeaders.text(cr.headers(), RecordHeaders.SENSOR));
        p.offer(origins.fleetWide(r, sensor), cr.offset(), nowNanos);
    }

    /** Each partition's state at the offset it covers; then those offsets are committed. */
    private void saveAll() {
        for (Map.Entry<TopicPartition, PartitionDetector> e : partitions.entrySet()) {
            save(e.getKey(), e.getValue());
        }
        commit(partitions.keySet(), 0);
    }

    private void save(TopicPartition tp, PartitionDetector p) {
        var snapshot = p.snapshot(); // releases the held records first, so the snapshot covers committable()
        long offset = p.committable();
        if (offset >= 0 && store.write(tp, offset, snapshot)) {
            stats.snapshotsSaved.incrementAndGet();
        }
    }

    /**
     * Commits the partitions' offsets once the alert outputs have taken every alert so far, waiting up to
     * {@code waitMs} for them; otherwise puts it off (the next try is at the next interval).
     */
    private void commit(Collection<TopicPartition> tps, long waitMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        while (!alertsHandedOff.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                stats.commitsDeferred.incrementAndGet();
                return;
            }
            sleep(20);
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : tps) {
            PartitionDetector p = partitions.get(tp);
            long offset = p == null ? -1 : p.committable();
            Long before = committed.get(tp);
            // Never backwards: while a partition is read again from an older state, the commit stays where it was.
            if (offset >= 0 && (before == null || offset > before)) {
                offsets.put(tp, new OffsetAndMetadata(offset));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, Duration.ofSeconds(10));
            offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
            stats.commits.incrementAndGet();
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            stats.commitFailures.incrementAndGet();
            LOG.warn("detect: commit of {} failed (the records will be read again; their alerts are not repeated"
                    + " when the partition's state is shared): {}", offsets.keySet(), e.toString());
        }
    }

    /** A partition leaves: its held records and pending follow-ups are handled, its state saved, its offset committed. */
    private void release(Collection<TopicPartition> tps) {
        List<TopicPartition> leaving = new ArrayList<>();
        for (TopicPartition tp : tps) {
            PartitionDetector p = partitions.get(tp);
            if (p != null) {
                p.finish();
                save(tp, p);
                leaving.add(tp);
            }
        }
        commit(leaving, HAND_OFF_WAIT_MS);
        leaving.forEach(tp -> {
            partitions.remove(tp);
            committed.remove(tp);
        });
        stats.partitionsRevoked.addAndGet(leaving.size());
        assigned = partitions.size();
        if (!leaving.isEmpty()) {
            LOG.info("detect: released {}, holding {}", leaving, partitions.keySet());
        }
    }

    private void assign(Collection<TopicPartition> tps) {
        Map<TopicPartition, OffsetAndMetadata> known = consumer.committed(new HashSet<>(tps), Duration.ofSeconds(30));
        for (TopicPartition tp : tps) {
            PartitionDetector p = new PartitionDetector(settings.detection(), alerts, origins,
                    settings.reorderWindow().toNanos() / 1_000L, settings.maxHeldRecords(), stats);
            OffsetAndMetadata c = known.get(tp);
            long committedOffset = c == null ? -1 : c.offset();
            long start = committedOffset;
            PartitionStateStore.Saved saved = store.read(tp);
            String why = saved == null ? "no saved state" : p.restore(saved.engine());
            if (why == null) {
                start = saved.nextOffset();
                consumer.seek(tp, start);
                stats.snapshotsRestored.incrementAndGet();
                LOG.info("detect: {} resumes from its state at offset {} (committed: {})", tp, start,
                        committedOffset);
            } else if (committedOffset > 0) {
                // Records up to the committed offset were alerted on by a previous owner whose state is lost:
                // read them again from the start, silently, so that the baselines are rebuilt.
                consumer.seekToBeginning(List.of(tp));
                start = 0;
                LOG.info("detect: {} rebuilds its state from the start of the partition ({}; committed: {})", tp, why,
                        committedOffset);
            }
            p.startAt(start, committedOffset);
            if (committedOffset >= 0) {
                committed.put(tp, committedOffset);
            }
            partitions.put(tp, p);
        }
        stats.partitionsAssigned.addAndGet(tps.size());
        assigned = partitions.size();
        LOG.info("detect: assigned {}, holding {}", tps, partitions.keySet());
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> tps) {
            release(tps);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> tps) {
            assign(tps);
        }

        /** Another member owns them already: nothing may be committed, and its state is the one that counts. */
        @Override
        public void onPartitionsLost(Collection<TopicPartition> tps) {
            tps.forEach(tp -> {
                partitions.remove(tp);
                committed.remove(tp);
            });
            assigned = partitions.size();
        }
    }

    private void shutdown() {
        try {
            release(new ArrayList<>(partitions.keySet()));
        } catch (RuntimeException e) {
            LOG.warn("detect: partitions not released cleanly: {}", e.toString());
        }
        try {
            consumer.close(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            LOG.warn("detect: consumer not closed cleanly: {}", e.toString());
        }
        LOG.info("detect stopped: {}", stats);
    }

    /** Stops after the current poll: partitions are released (state saved, offsets committed). */
    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
