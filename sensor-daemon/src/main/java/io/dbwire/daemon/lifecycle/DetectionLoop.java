package io.dbwire.daemon.lifecycle;

import io.dbwire.core.pipeline.DetectionStage;
import io.dbwire.core.pipeline.SensorStats;
import io.dbwire.core.record.RecordSink;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.daemon.metrics.DaemonCounters;
import io.dbwire.daemon.clock.MicrosClock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that owns detection when connections are spread over several pipeline shards: the shards'
 * records arrive through a bounded queue (a record that does not fit is counted, and was still written), packet
 * time advances with them and with the clock when quiet, and baselines are saved like in the single pipeline.
 */
final class DetectionLoop implements Runnable {
    private final DetectionStage stage;
    private final BlockingQueue<TransactionRecord> records;
    private final MicrosClock clock;
    private final DaemonCounters counters;
    private final StateStore stateStore;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final PipelineErrors errors;
    private volatile boolean stopping;
    private volatile SensorStats published;
    private long lastHousekeeping;

    DetectionLoop(DetectionStage stage, int capacity, MicrosClock clock, DaemonCounters counters,
            StateStore stateStore) {
        this.stage = stage;
        this.records = new ArrayBlockingQueue<>(capacity);
        this.clock = clock;
        this.counters = counters;
        this.stateStore = stateStore;
        this.errors = new PipelineErrors(counters);
        this.published = stage.stats();
    }

    /** Where the shards put their records; thread-safe. */
    RecordSink intake() {
        return r -> {
            if (!records.offer(r)) {
                counters.detectionQueueFull();
            }
        };
    }

    @Override
    public void run() {
        try {
            while (true) {
                TransactionRecord r = records.poll(PipelineLoop.HOUSEKEEPING_MICROS, TimeUnit.MICROSECONDS);
                if (r != null) {
                    observe(r);
                } else if (stopping) {
                    return; // the shards have finished before stop is requested: nothing more will come
                }
                long now = clock.nowMicros();
                if (r == null || now - lastHousekeeping >= PipelineLoop.HOUSEKEEPING_MICROS) {
                    lastHousekeeping = now;
                    housekeeping(now);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stage.finish();
            published = stage.stats();
            if (stateStore != null) {
                stateStore.save(stage.engine());
            }
            finished.countDown();
        }
    }

    private void housekeeping(long now) {
        try {
            stage.advanceTo(now);
            published = stage.stats();
            if (stateStore != null) {
                stateStore.maybeSave(stage.engine(), now);
            }
        } catch (RuntimeException | Error e) {
            errors.caught("detection housekeeping", e);
        }
    }

    private void observe(TransactionRecord r) {
        try {
            stage.accept(r);
        } catch (RuntimeException | Error e) {
            errors.caught("detection of a record", e);
        }
    }

    void requestStop() {
        stopping = true;
    }

    boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
        return finished.await(timeout, unit);
    }

    SensorStats stats() {
        return published;
    }

    int depth() {
        return records.size();
    }
}
