package io.dbwire.daemon.tls;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Polls a {@link KeyLogDirectory} once a second on its own daemon thread, from start until close. */
public final class KeyLogWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyLogWatcher.class);
    static final long PERIOD_MILLIS = 1_000;

    private final KeyLogDirectory directory;
    private final ScheduledExecutorService timer;

    private KeyLogWatcher(KeyLogDirectory directory) {
        this.directory = directory;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dbwire-keylog");
            t.setDaemon(true);
            return t;
        });
    }

    /** Reads the directory at once, then every second. */
    public static KeyLogWatcher start(KeyLogDirectory directory) {
        KeyLogWatcher w = new KeyLogWatcher(directory);
        w.timer.scheduleWithFixedDelay(w::pollSafely, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        return w;
    }

    private void pollSafely() {
        try {
            directory.poll();
        } catch (RuntimeException e) {
            // Never the line's content: only that the poll failed (a bug; I/O trouble is counted inside).
            LOG.warn("key log poll failed: {}", e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("key log directory: {} files followed, {} over-long lines, {} read errors, {} files ignored",
                directory.filesFollowed(), directory.linesTooLong(), directory.readErrors(), directory.filesIgnored());
    }
}
