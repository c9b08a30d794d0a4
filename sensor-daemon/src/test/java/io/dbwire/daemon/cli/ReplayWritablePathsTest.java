package io.dbwire.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay} with an output it cannot write at all, found before any packet is read: one line naming the
 * option and the reason, no stack trace, nothing written to the other output. (Permission bits do not stop root,
 * so the unwritable cases are a regular file in the path and a directory where a file belongs.)
 */
class ReplayWritablePathsTest {
    private static final String CAPTURE = "../testdata/pg-basic.pcap";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int replay(String... args) {
        return DbwireCli.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void recordsUnderARegularFileIsOneLineAndNoOutput() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        String records = plain.resolve("records.jsonl").toString();
        int code = replay("replay", "--records", records, "--alerts", dir.resolve("alerts.jsonl").toString(), CAPTURE);

        assertThat(code).as(err()).isNotZero();
        assertThat(err()).contains(records).doesNotContain("\tat ").hasLineCount(1);
        assertThat(dir.resolve("alerts.jsonl")).as("nothing was written").satisfiesAnyOf(
                f -> assertThat(f).doesNotExist(), f -> assertThat(f).isEmptyFile());
    }

    @Test
    void alertsIntoADirectoryIsOneLineAndNoOutput() throws Exception {
        Path records = dir.resolve("records.jsonl");
        int code = replay("replay", "--records", records.toString(), "--alerts", dir.toString(), CAPTURE);

        assertThat(code).as(err()).isNotZero();
        assertThat(err()).contains(dir.toString()).doesNotContain("\tat ").hasLineCount(1);
        assertThat(records).satisfiesAnyOf(f -> assertThat(f).doesNotExist(), f -> assertThat(f).isEmptyFile());
    }
}
