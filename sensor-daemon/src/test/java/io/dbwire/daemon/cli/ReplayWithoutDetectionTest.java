package io.dbwire.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.alert.AlertJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code detection.enabled: false}: the same records, no detection (the brute force in the capture is not raised). */
class ReplayWithoutDetectionTest {
    private static final Path CAPTURE = Path.of("../testdata/pg-basic-vxlan.pcap");

    @TempDir
    Path dir;

    @Test
    void aSensorWithoutDetectionWritesEveryRecordAndNoAlert() throws Exception {
        Path config = dir.resolve("dbwire.yml");
        Files.writeString(config, "detection: {enabled: false}\n");
        Path withRecords = dir.resolve("with.jsonl");
        Path withoutRecords = dir.resolve("without.jsonl");
        String withAlerts = replay(null, withRecords);
        String withoutAlerts = replay(config, withoutRecords);
        assertThat(withAlerts).contains("\"detection\":\"auth_bruteforce\"");
        assertThat(withoutAlerts).isEmpty();
        assertThat(Files.readAllLines(withoutRecords)).hasSize(30).isEqualTo(Files.readAllLines(withRecords));
    }

    private static String replay(Path config, Path records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] args = config == null
                ? new String[] {"replay", "--records", records.toString(), CAPTURE.toString()}
                : new String[] {"replay", "--config", config.toString(), "--records", records.toString(),
                    CAPTURE.toString()};
        int exit = DbwireCli.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), AlertJson::toJson, args);
        assertThat(exit).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }
}
