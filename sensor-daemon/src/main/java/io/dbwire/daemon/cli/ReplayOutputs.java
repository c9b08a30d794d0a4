package io.dbwire.daemon.cli;

import io.dbwire.daemon.sink.JsonLineWriter;
import io.dbwire.daemon.sink.RollingLineFile;
import java.time.Clock;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The two replay outputs. {@code -} is standard output; when records and alerts name the same target they share
 * one writer, so lines never interleave mid-line and a file is not truncated twice.
 */
final class ReplayOutputs implements AutoCloseable {
    private final JsonLineWriter records;
    private final JsonLineWriter alerts;
    private final String recordsOption;
    private final String alertsTarget;

    ReplayOutputs(String recordsTarget, String alertsTarget, OutputStream stdout) {
        this.recordsOption = "--records " + recordsTarget;
        this.alertsTarget = alertsTarget;
        this.records = open("--records", recordsTarget, stdout);
        this.alerts = recordsTarget.equals(alertsTarget) ? records : open("--alerts", alertsTarget, stdout);
    }

    private static JsonLineWriter open(String option, String target, OutputStream stdout) {
        if ("-".equals(target)) {
            return new JsonLineWriter(stdout, false);
        }
        try {
            Path path = Path.of(target);
            OutputStream truncated = Files.newOutputStream(path, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            if (!Files.isRegularFile(path)) {
                return new JsonLineWriter(truncated, true); // a pipe or device: opened once, as given
            }
            truncated.close();
            // A regular file through RollingLineFile (no rotation): a write that fails is cut back to a whole line.
            return new JsonLineWriter(new RollingLineFile(path, null, Clock.systemUTC()));
        } catch (IOException | RuntimeException e) {
            throw new UsageException(option + ": " + target + ": cannot write (" + e.getMessage() + ")");
        }
    }

    JsonLineWriter records() {
        return records;
    }

    JsonLineWriter alerts() {
        return alerts;
    }

    /**
     * One line for the first output a write failed on, e.g. {@code --records out.jsonl: cannot write (No space left
     * on device); 1234 lines lost}, or null while every write succeeded.
     */
    String failure() {
        if (records.failedWrites() > 0) {
            return describe(recordsOption, records);
        }
        return alerts.failedWrites() > 0 ? describe("--alerts " + alertsTarget, alerts) : null;
    }

    private static String describe(String output, JsonLineWriter w) {
        return output + ": cannot write (" + (w.failure() == null ? "a write failed" : w.failure()) + "); "
                + w.droppedLines() + " lines lost";
    }

    /** Flushes and closes both; a failure is kept for {@link #failure()}, not thrown. */
    @Override
    public void close() {
        closeQuietly(records);
        if (alerts != records) {
            closeQuietly(alerts);
        }
    }

    private static void closeQuietly(JsonLineWriter w) {
        try {
            w.close();
        } catch (java.io.UncheckedIOException e) {
            // counted by the writer: failedWrites, droppedLines, failure
        }
    }
}
