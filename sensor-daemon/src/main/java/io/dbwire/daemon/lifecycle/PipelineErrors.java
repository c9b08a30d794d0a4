package io.dbwire.daemon.lifecycle;

import io.dbwire.daemon.fault.FatalErrors;
import io.dbwire.daemon.metrics.DaemonCounters;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwable caught at a pipeline thread's frame, record or housekeeping boundary: fatal ones end the process
 * ({@link FatalErrors}); any other is counted as {@code dbwire_pipeline_errors_total}, the frame or record is
 * dropped and the thread goes on. The first {@link #FIRST_TRACES} are logged with their stack trace, later ones at
 * most once per {@link #QUIET_NANOS} with the count so far, so a poison stream cannot flood the log.
 */
final class PipelineErrors {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineErrors.class);
    static final int FIRST_TRACES = 10;
    static final long QUIET_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final DaemonCounters counters;
    private final LongSupplier nanoTime;
    private long lastLine = Long.MIN_VALUE;
    private long logged;

    PipelineErrors(DaemonCounters counters) {
        this(counters, System::nanoTime);
    }

    PipelineErrors(DaemonCounters counters, LongSupplier nanoTime) {
        this.counters = counters;
        this.nanoTime = nanoTime;
    }

    /** Handles {@code t}, caught while doing {@code what} (e.g. "frame processing"); returns unless fatal. */
    synchronized void caught(String what, Throwable t) {
        FatalErrors.haltIfFatal(Thread.currentThread().getName(), t);
        counters.pipelineError();
        long total = counters.pipelineErrors();
        if (logged < FIRST_TRACES) {
            logged++;
            LOG.error("{} failed, dropped and going on ({} pipeline errors so far)", what, total, t);
            lastLine = nanoTime.getAsLong();
            return;
        }
        long now = nanoTime.getAsLong();
        if (now - lastLine >= QUIET_NANOS) {
            lastLine = now;
            LOG.error("{} failed, dropped and going on ({} pipeline errors so far; only one line a minute now): {}",
                    what, total, t.toString());
        }
    }

    /** Lines written to the log so far (tests). */
    synchronized long logged() {
        return logged;
    }
}
