package io.dbwire.daemon.sink;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
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
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern("%msg%n");
        encoder.start();

        OutputStreamAppender<ILoggingEvent> appender;
        if (file == null) {
            appender = new ConsoleAppender<>();
        } else {
            FileAppender<ILoggingEvent> f = new FileAppender<>();
            f.setFile(file);
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

    public org.slf4j.Logger logger() {
        return logger;
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
