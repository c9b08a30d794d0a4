package io.dbwire.daemon.sink;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import io.dbwire.daemon.config.DaemonConfig.Rotation;
import java.io.IOException;
import org.slf4j.LoggerFactory;

/**
 * Sets up the {@code dbwire.alerts} logger from the config rather than logback.xml, so the alert file is a single
 * setting in dbwire.yml. Pattern {@code %msg%n}: the file holds bare JSON lines. Not additive: alerts never end up
 * in the daemon's own log.
 */
public final class AlertLog implements AutoCloseable {
    public static final String LOGGER_NAME = "dbwire.alerts";

    private final Logger logger;
    private final OutputStreamAppender<ILoggingEvent> appender;

    private AlertLog(Logger logger, OutputStreamAppender<ILoggingEvent> appender) {
        this.logger = logger;
        this.appender = appender;
    }

    /** Appends to {@code file}, creating parent directories; {@code null} writes to standard output. */
    public static AlertLog open(String file) {
        return open(file, null);
    }

    /**
     * As {@link #open(String)}, rolled over by Logback at midnight UTC and at {@code rotation}'s size into
     * {@code FILE.yyyy-MM-dd.N} (the names {@link RollingLineFile} gives the records file); null = never.
     */
    public static AlertLog open(String file, Rotation rotation) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern("%msg%n");
        encoder.start();

        OutputStreamAppender<ILoggingEvent> appender;
        if (file == null) {
            appender = new ConsoleAppender<>();
        } else {
            FileAppender<ILoggingEvent> f;
            if (rotation == null) {
                f = new FileAppender<>();
                f.setFile(file);
            } else {
                f = rolling(ctx, file, rotation);
            }
            f.setAppend(true);
            f.setPrudent(false);
            appender = f;
        }
        appender.setName("dbwire-alerts");
        appender.setContext(ctx);
        appender.setEncoder(encoder);
        appender.setImmediateFlush(true);
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

    private static RollingFileAppender<ILoggingEvent> rolling(LoggerContext ctx, String file, Rotation rotation) {
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(ctx);
        appender.setFile(file); // the policy reads it when it starts
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
        policy.setContext(ctx);
        policy.setParent(appender);
        policy.setFileNamePattern(file + ".%d{yyyy-MM-dd,UTC}.%i");
        policy.setMaxFileSize(new FileSize(rotation.maxFileBytes()));
        policy.setMaxHistory(rotation.keepDays());
        policy.setTotalSizeCap(new FileSize(rotation.totalBytes()));
        policy.start();
        appender.setRollingPolicy(policy);
        return appender;
    }

    /**
     * Reopens the file by its name (SIGHUP after logrotate moved it). Logback swaps the stream under the appender's
     * lock, so no alert is lost or cut; a no-op on standard output.
     */
    public void reopen() throws IOException {
        if (appender instanceof FileAppender<ILoggingEvent> f) {
            f.openFile(f.getFile());
        }
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
