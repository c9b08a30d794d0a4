package io.dbwire.daemon.sink;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.dbwire.daemon.config.DaemonConfig.Rotation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The alert file as a Logback appender, written through the same {@link RollingLineFile} as the records file.
 * Logback's own SizeAndTimeBasedRollingPolicy is not used: with several threads logging while it rolls over by size,
 * two rollovers can pick the same archive index and the second rename overwrites the first archive, losing whole
 * files of alerts (RotationUnderLoadTest found it). Here rollover happens under the writer's lock, between two
 * lines, and every alert is flushed as it is written so {@code tail -f} sees it at once.
 */
final class AlertFileAppender extends AppenderBase<ILoggingEvent> {
    private final JsonLineWriter writer;

    /** @param rotation null = never roll over, only append and reopen */
    AlertFileAppender(Path file, Rotation rotation, Clock clock) throws IOException {
        this.writer = new JsonLineWriter(new RollingLineFile(file, rotation, clock));
    }

    @Override
    protected void append(ILoggingEvent event) {
        // AppenderBase serialises calls and turns an exception into a Logback status, as FileAppender does.
        writer.writeLine(event.getFormattedMessage());
        writer.flush();
    }

    /** Reopens the file by its name (SIGHUP after logrotate moved it). */
    void reopen() {
        writer.reopen();
    }

    @Override
    public void stop() {
        super.stop();
        try {
            writer.close();
        } catch (UncheckedIOException e) {
            addError("closing the alert file", e);
        }
    }
}
