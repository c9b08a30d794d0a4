package io.dbwire.daemon.sink;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.dbwire.daemon.config.DaemonConfig.Rotation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
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
 *
 * <p>With a {@link AlertDiskSpool} (state.directory), an alert the file does not take goes to the spool on disk
 * first and survives a restart; memory is the fallback when the spool is full or cannot be written. Spooled alerts
 * are written to the file first, in order, when it takes writes again and at start; alerts still in memory at stop
 * are spooled too, and only those the spool refuses go to the daemon's log.
 */
final class AlertFileAppender extends AppenderBase<ILoggingEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(AlertFileAppender.class);
    static final int MAX_PENDING = 100_000;
    static final long RETRY_MILLIS = 1_000;
    /** Spooled alerts written per step before the spool's offset is saved: at most this many are repeated. */
    static final int DRAIN_BATCH = 500;

    private final JsonLineWriter writer;
    private final Path path;
    /** Alerts the file could not take, on disk; null = held in memory only. */
    private final AlertDiskSpool spool;
    private final ArrayDeque<String> pending = new ArrayDeque<>();
    private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dbwire-alert-retry");
        t.setDaemon(true);
        return t;
    });
    private long dropped;
    private long spooled;
    private long drained;
    private long spoolRefused;

    /**
     * @param rotation null = never roll over, only append and reopen
     * @param spool    where alerts wait while the file cannot take them; null = in memory only. Alerts left in it by
     *                 an earlier run are written first, before this constructor returns (when the file takes them).
     */
    AlertFileAppender(Path file, Rotation rotation, Clock clock, AlertDiskSpool spool) throws IOException {
        this.writer = new JsonLineWriter(new RollingLineFile(file, rotation, clock));
        this.path = file;
        this.spool = spool;
        if (spool != null && spool.pendingAlerts() > 0) {
            long before = spool.pendingAlerts();
            writeHeld();
            LOG.info("alert spool {}: {} alerts from an earlier run written to {}, {} still waiting", spool.path(),
                    before - spool.pendingAlerts(), file, spool.pendingAlerts());
        }
        retry.scheduleWithFixedDelay(this::retryHeld, RETRY_MILLIS, RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void append(ILoggingEvent event) {
        // AppenderBase.doAppend holds this object's lock: appends and retries never interleave.
        String alert = event.getFormattedMessage();
        if (writeHeld() && tryWrite(alert)) {
            return;
        }
        hold(alert);
    }

    /**
     * Keeps an alert the file did not take: in the spool while nothing waits in memory (so the order stays spool,
     * then memory, then new alerts), else in memory up to {@link #MAX_PENDING}, else dropped and counted.
     */
    private void hold(String alert) {
        if (spool != null) {
            if (pending.isEmpty() && spool.append(alert)) {
                spooled++;
                return;
            }
            spoolRefused++; // the spool is full or failing, or refused an earlier alert that still waits
        }
        if (pending.size() >= MAX_PENDING) {
            dropped++;
            return;
        }
        pending.addLast(alert);
    }

    private synchronized void retryHeld() {
        writeHeld();
    }

    /** Writes held alerts oldest first (spooled, then in memory); true when none is left waiting. */
    private boolean writeHeld() {
        if (spool != null && !drainSpool()) {
            return false;
        }
        while (!pending.isEmpty()) {
            if (!tryWrite(pending.peekFirst())) {
                return false; // this alert stays first in line
            }
            pending.removeFirst();
        }
        return true;
    }

    /** Writes spooled alerts to the file in batches, advancing the spool after each; true when it is empty. */
    private boolean drainSpool() {
        try {
            while (spool.pendingAlerts() > 0) {
                List<AlertDiskSpool.Entry> batch = spool.peek(DRAIN_BATCH);
                if (batch.isEmpty()) {
                    return true;
                }
                int written = 0;
                long bytes = 0;
                for (AlertDiskSpool.Entry e : batch) {
                    if (!tryWrite(e.alert())) {
                        break;
                    }
                    written++;
                    bytes += e.bytes();
                }
                if (written > 0) {
                    drained += written;
                    spool.drained(written, bytes);
                }
                if (written < batch.size()) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            // reading the spool or saving its offset failed: the alerts stay in it (written again later at worst)
            LOG.warn("alert spool {}: {}", spool.path(), e.toString());
            return false;
        }
    }

    private boolean tryWrite(String alert) {
        try {
            writer.writeLine(alert);
            writer.flush();
            return true;
        } catch (UncheckedIOException e) {
            return false; // the writer cut the torn bytes off
        }
    }

    /** Reopens the file by its name (SIGHUP after logrotate moved it). */
    void reopen() {
        writer.reopen();
    }

    synchronized AlertLog.Status status() {
        long spooledNow = spool == null ? 0 : spool.pendingAlerts();
        long waiting = pending.size() + spooledNow;
        AlertLog.SpoolStatus spoolStatus = spool == null ? null
                : new AlertLog.SpoolStatus(spool.path().toString(), spooledNow, spool.bytes(), spooled, drained,
                        spoolRefused);
        return new AlertLog.Status(path.toString(), writer.failedWrites(), waiting, dropped,
                waiting == 0 ? null : writer.failure() != null ? writer.failure() : "alerts waiting", spoolStatus);
    }

    @Override
    public void stop() {
        retry.shutdownNow();
        synchronized (this) {
            if (!writeHeld() && spool != null) {
                // kept on disk for the next start, after what the spool already holds: the order stays
                while (!pending.isEmpty() && spool.append(pending.peekFirst())) {
                    spooled++;
                    pending.removeFirst();
                }
            }
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
        if (spool != null) {
            try {
                spool.close();
            } catch (IOException e) {
                addError("closing the alert spool", e);
            }
        }
    }
}
