package io.dbwire.daemon.cli;

import io.dbwire.daemon.sink.JsonLineWriter;
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

    ReplayOutputs(String recordsTarget, String alertsTarget, OutputStream stdout) {
        this.records = open("--records", recordsTarget, stdout);
        this.alerts = recordsTarget.equals(alertsTarget) ? records : open("--alerts", alertsTarget, stdout);
    }

    private static JsonLineWriter open(String option, String target, OutputStream stdout) {
        if ("-".equals(target)) {
            return new JsonLineWriter(stdout, false);
        }
        try {
            return new JsonLineWriter(Files.newOutputStream(Path.of(target), StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), true);
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

    @Override
    public void close() {
        records.close();
        if (alerts != records) {
            alerts.close();
        }
    }
}
