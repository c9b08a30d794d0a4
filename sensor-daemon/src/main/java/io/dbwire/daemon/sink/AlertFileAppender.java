package io.dbwire.daemon.sink;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.dbwire.daemon.config.DaemonConfig.Rotation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert file as a Logback appender, written through the same {@link RollingLineFile} as the records file.
 * Logback's own SizeAndTimeBasedRollingPolicy is not used: with several threads logging while it rolls over by size,
 * two rollovers can pick the same archive index and the second rename overwrites the first archive, losing whole
 * files of alerts (RotationUnderLoadTest found it). Here rollover happens under the writer's lock, between two
 * lines, and every alert is flushed as it is written so {@code tail -f} sees it at once.
 *
 * <p>An alert that cannot be written (a full disk) is kept, in order, in a bounded pending queue and retried every
 * {@link #RETRY_MILLIS} and before each new alert; health reports the failure until the queue is empty. Alerts
 * still pending at stop go to the daemon's log (journald) rather than nowhere. Only beyond {@link #MAX_PENDING}
 * are alerts dropped, and counted.
 */
final class AlertFileAppender extends AppenderBase<ILoggingEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(AlertFileAppender.class);
    static final int MAX_PENDING = 100_000;
    static final long RETRY_MILLIS = 1_000;

    private final JsonLineWriter writer;
    private final Path path;
    private final ArrayDeque<String> pending = new ArrayDeque<>();
    private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dbwire-alert-retry");
        t.setDaemon(true);
        return t;
    });
    private long dropped;

    /** @param rotation null = never roll over, only append and reopen */
    AlertFileAppender(Path file, Rotation rotation, Clock clock) throws IOException {
        this.writer = new JsonLineWriter(new RollingLineFile(file, rotation, clock));
        this.path = file;
        retry.scheduleWithFixedDelay(this::retryPending, RETRY_MILLIS, RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void append(ILoggingEvent event) {
        // AppenderBase.doAppend holds this object's lock: appends and retries never interleave.
        if (pending.size() >= MAX_PENDING) {
            dropped++;
            return;
        }
        pending.addLast(event.getFormattedMessage());
        writePending();
    }

    private synchronized void retryPending() {
        if (!pending.isEmpty()) {
            writePending();
        }
    }

    /** Writes pending alerts oldest first; stops at the first failure, which keeps that alert and those after it. */
    private void writePending() {
        while (!pending.isEmpty()) {
            try {
                writer.writeLine(pending.peekFirst());
                writer.flush();
            } catch (UncheckedIOException e) {
                return; // the writer cut the torn bytes off; this alert stays first in line
            }
            pending.removeFirst();
        }
    }

    /** Reopens the file by its name (SIGHUP after logrotate moved it). */
    void reopen() {
        writer.reopen();
    }

    synchronized AlertLog.Status status() {
        return new AlertLog.Status(path.toString(), writer.failedWrites(), pending.size(), dropped,
                pending.isEmpty() ? null : writer.failure());
    }

    @Override
    public void stop() {
        retry.shutdownNow();
        synchronized (this) {
            writePending();
            for (String alert : pending) {
                LOG.error("alert not written to {} ({}): {}", path, writer.failure(), alert);
            }
            pending.clear();
        }
        super.stop();
        try {
            writer.close();
        } catch (UncheckedIOException e) {
            addError("closing the alert file", e);
        }
    }
}
