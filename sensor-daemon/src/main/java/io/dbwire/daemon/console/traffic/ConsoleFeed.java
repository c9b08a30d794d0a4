package io.dbwire.daemon.console.traffic;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.AlertSink;
import io.dbwire.core.record.RecordSink;
import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Hands records and alerts from the pipeline threads to the console's own thread, which folds them into a
 * {@link TrafficAggregator}. The pipeline's cost is one {@code offer} on a bounded queue per record; when the
 * console falls behind, what does not fit is counted in {@link #dropped()} and the pipeline never waits.
 * Snapshots and folding take turns on one lock, so a poll of the console delays only the console thread.
 */
public final class ConsoleFeed implements AutoCloseable {
    /** Items drained per turn of the lock. */
    private static final int BATCH = 512;

    private final BlockingQueue<Object> queue;
    private final TrafficAggregator aggregator = new TrafficAggregator();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder offered = new LongAdder();
    private final LongAdder folded = new LongAdder();
    private final Thread thread;
    private volatile boolean closed;

    public ConsoleFeed(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "dbwire-console-feed");
        thread.setDaemon(true);
        thread.start();
    }

    public RecordSink records() {
        return this::offer;
    }

    public AlertSink alerts() {
        return this::offer;
    }

    private void offer(Object item) {
        offered.increment();
        if (!queue.offer(item)) {
            dropped.increment();
        }
    }

    private void run() {
        List<Object> batch = new ArrayList<>(BATCH);
        try {
            while (!closed) {
                Object first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                fold(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void fold(List<Object> batch) {
        synchronized (aggregator) {
            for (Object item : batch) {
                if (item instanceof TransactionRecord r) {
                    aggregator.accept(r);
                } else {
                    aggregator.accept((Alert) item);
                }
            }
        }
        folded.add(batch.size());
    }

    /** What has been folded in so far, with the feed's own counters under {@code bounds}. */
    public ObjectNode snapshot(JsonNodeFactory f, long nowMicros) {
        ObjectNode o;
        synchronized (aggregator) {
            o = aggregator.snapshot(f, nowMicros);
        }
        ((ObjectNode) o.get("bounds")).put("feed_dropped", dropped.sum());
        ((ObjectNode) o.get("bounds")).put("feed_queue_depth", queue.size());
        return o;
    }

    /** Items not handed to the console because its queue was full. */
    public long dropped() {
        return dropped.sum();
    }

    public int depth() {
        return queue.size();
    }

    /** Waits until what is queued now has been folded (tests, and a last snapshot on stop). */
    public void awaitDrained(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (folded.sum() + dropped.sum() < offered.sum() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
