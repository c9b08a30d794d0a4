package io.dbwire.daemon.lifecycle;

import io.dbwire.core.pipeline.Sensor;
import io.dbwire.core.pipeline.SensorStats;
import io.dbwire.daemon.metrics.DaemonCounters;
import io.dbwire.daemon.sink.JsonLineWriter;
import io.dbwire.daemon.source.FrameBatch;
import io.dbwire.daemon.source.FrameConsumer;
import io.dbwire.daemon.source.FrameQueue;
import io.dbwire.daemon.clock.MicrosClock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that owns the {@link Sensor}: takes batches of frames off the queue, and about every
 * {@link #HOUSEKEEPING_MICROS} (also when idle) publishes a stats snapshot for other threads, flushes the record
 * file and advances packet time. On stop it drains what is queued, then calls {@link Sensor#finish()}.
 */
final class PipelineLoop implements Runnable {
    /** Housekeeping period; also the longest the loop blocks on an empty queue. */
    static final long HOUSEKEEPING_MICROS = 200_000L;

    private final Sensor sensor;
    private final FrameConsumer engine;
    private final FrameQueue queue;
    private final MicrosClock clock;
    private final DaemonCounters counters;
    private final JsonLineWriter recordFile;
    /** Detection state snapshots, or null (tests, replay). */
    private final StateStore stateStore;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final PipelineErrors errors;
    private volatile boolean stopping;
    private volatile SensorStats published;
    private long lastHousekeeping;

    PipelineLoop(Sensor sensor, FrameQueue queue, MicrosClock clock, DaemonCounters counters, JsonLineWriter recordFile) {
        this(sensor, queue, clock, counters, recordFile, null);
    }

    PipelineLoop(Sensor sensor, FrameQueue queue, MicrosClock clock, DaemonCounters counters, JsonLineWriter recordFile,
            StateStore stateStore) {
        this.stateStore = stateStore;
        this.sensor = sensor;
        this.engine = sensor::onFrame;
        this.queue = queue;
        this.clock = clock;
        this.counters = counters;
        this.recordFile = recordFile;
        this.errors = new PipelineErrors(counters);
        this.published = sensor.stats();
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                sensor.finish();
            } catch (RuntimeException | Error e) {
                errors.caught("sensor.finish", e);
            }
            published = sensor.stats();
            if (stateStore != null) {
                stateStore.save(sensor.detection()); // on the pipeline thread: the engine is single-threaded
            }
            finished.countDown();
        }
    }

    private void loop() throws InterruptedException {
        while (true) {
            FrameBatch f = queue.poll(HOUSEKEEPING_MICROS, TimeUnit.MICROSECONDS);
            if (f != null) {
                process(f);
            } else if (stopping) {
                return; // the receiver is closed before stop is requested, so an empty queue stays empty
            }
            long now = clock.nowMicros();
            if (f == null || now - lastHousekeeping >= HOUSEKEEPING_MICROS) {
                try {
                    housekeeping(now);
                } catch (RuntimeException | Error e) {
                    errors.caught("housekeeping", e); // e.g. the records file's flush on a full disk
                }
            }
        }
    }

    private void process(FrameBatch batch) {
        try {
            for (int i = 0; i < batch.size(); i++) {
                process(batch, i);
            }
        } finally {
            queue.release(batch);
        }
    }

    private void process(FrameBatch batch, int i) {
        try {
            batch.feed(i, engine);
        } catch (RuntimeException | Error e) {
            // An engine bug must not stop the sensor: the frame is dropped, counted and logged (rate-limited).
            errors.caught("frame processing", e);
        }
    }

    private void housekeeping(long nowMicros) {
        lastHousekeeping = nowMicros;
        // Packet time must advance while the wire is quiet so that detection windows close.
        sensor.onIdle(nowMicros);
        published = sensor.stats();
        if (recordFile != null) {
            recordFile.tryFlush(); // a failure is the writer's to count and report; the next flush retries
        }
        if (stateStore != null) {
            stateStore.maybeSave(sensor.detection(), nowMicros);
        }
    }

    /** Asks the loop to drain and finish; call after the receiver is closed. */
    void requestStop() {
        stopping = true;
    }

    boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
        return finished.await(timeout, unit);
    }

    boolean isFinished() {
        return finished.getCount() == 0;
    }

    SensorStats stats() {
        return published;
    }
}
