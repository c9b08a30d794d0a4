package io.dbwire.daemon.sink;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import io.dbwire.daemon.config.DaemonConfig.Rotation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.LoggerFactory;

/**
 * Sets up the {@code dbwire.alerts} logger from the config rather than logback.xml, so the alert file is a single
 * setting in dbwire.yml. Pattern {@code %msg%n}: the file holds bare JSON lines. Not additive: alerts never end up
 * in the daemon's own log.
 */
public final class AlertLog implements AutoCloseable {
    public static final String LOGGER_NAME = "dbwire.alerts";

    private final Logger logger;
    private final Appender<ILoggingEvent> appender;

    private AlertLog(Logger logger, Appender<ILoggingEvent> appender) {
        this.logger = logger;
        this.appender = appender;
    }

    /** Appends to {@code file}, creating parent directories; {@code null} writes to standard output. */
    public static AlertLog open(String file) {
        return open(file, null);
    }

    /**
     * As {@link #open(String)}, rolled over (see {@link AlertFileAppender}) at midnight UTC and at {@code rotation}'s size into
     * {@code FILE.yyyy-MM-dd.N} (the names {@link RollingLineFile} gives the records file); null = never.
     */
    public static AlertLog open(String file, Rotation rotation) {
        return open(file, rotation, null, 0);
    }

    /**
     * As {@link #open(String, Rotation)}, with alerts the file cannot take spooled to
     * {@code spoolDirectory/alert-spool.jsonl} (up to {@code spoolMaxBytes}) rather than only held in memory, and
     * alerts left there by an earlier run written first. {@code spoolDirectory} null = in memory only; no spool
     * for standard output.
     */
    public static AlertLog open(String file, Rotation rotation, Path spoolDirectory, long spoolMaxBytes) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Appender<ILoggingEvent> appender = file == null ? console(ctx)
                : file(file, rotation, spoolDirectory, spoolMaxBytes);
        appender.setName("dbwire-alerts");
        appender.setContext(ctx);
        appender.start();
        if (!appender.isStarted()) {
            throw new IllegalStateException("alerts.file: " + file + " (expected: a writable file)");
        }

        Logger logger = ctx.getLogger(LOGGER_NAME);
        logger.detachAndStopAllAppenders();
        logger.setAdditive(false);
        logger.setLevel(Level.INFO);
        logger.addAppender(appender);
        return new AlertLog(logger, appender);
    }

    private static Appender<ILoggingEvent> console(LoggerContext ctx) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern("%msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setEncoder(encoder);
        appender.setImmediateFlush(true);
        return appender;
    }

    private static Appender<ILoggingEvent> file(String file, Rotation rotation, Path spoolDirectory,
            long spoolMaxBytes) {
        AlertDiskSpool spool;
        try {
            spool = spoolDirectory == null ? null : AlertDiskSpool.open(spoolDirectory, spoolMaxBytes);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("state.directory: " + spoolDirectory
                    + " (expected: a writable directory for the alert spool): " + e.getMessage(), e);
        }
        try {
            return new AlertFileAppender(Path.of(file), rotation, Clock.systemUTC(), spool);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("alerts.file: " + file + " (expected: a writable file): " + e.getMessage(),
                    e);
        }
    }

    /**
     * Reopens the file by its name (SIGHUP after logrotate moved it), under the appender's lock, so no alert is
     * lost or cut; a no-op on standard output.
     */
    public void reopen() throws IOException {
        if (appender instanceof AlertFileAppender f) {
            try {
                f.reopen();
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }

    /**
     * The alert file's write health: failed writes so far, alerts waiting for the disk (spooled or in memory), alerts
     * dropped because the wait queue was full, and the current failure (null while alerts are written).
     */
    public record Status(String file, long failedWrites, long pending, long dropped, String failure,
            SpoolStatus spool) {}

    /**
     * The alert spool: alerts in it now and its size in bytes, and since start alerts spooled, drained from it to
     * the file, and refused by it (full or not writable; those were held in memory instead).
     */
    public record SpoolStatus(String file, long alerts, long bytes, long spooled, long drained, long refused) {}

    /** The alert file's status, or null when alerts go to standard output. */
    public Status status() {
        return appender instanceof AlertFileAppender f ? f.status() : null;
    }

    public org.slf4j.Logger logger() {
        return logger;
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
