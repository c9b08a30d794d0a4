package io.dbwire.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dbwire replay --keylog FILE}: checked before any output, counted, never echoed. */
class ReplayKeylogTest {
    private static final String SECRET = "c0ffee".repeat(16); // 48 bytes of hex: a TLS 1.2 master secret

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return DbwireCli.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    @Test
    void missingKeylogIsAUsageErrorBeforeAnyOutput() {
        assertThat(run("replay", "--keylog", dir.resolve("nope.keys").toString(), "../testdata/pg-basic.pcap"))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--keylog").contains("no such file");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void keyLogLinesAreCountedAndNeverPrinted() throws Exception {
        Path keys = dir.resolve("client.keys");
        Files.writeString(keys, "# written by a test\n"
                + "CLIENT_RANDOM " + "11".repeat(32) + " " + SECRET + "\n"
                + "CLIENT_RANDOM " + "zz".repeat(32) + " " + SECRET + "\n"); // not hex: malformed
        Path more = dir.resolve("more.keys");
        Files.writeString(more, "EXPORTER_SECRET " + "22".repeat(32) + " " + SECRET + "\n");
        assertThat(run("replay", "--keylog", keys.toString(), "--keylog", more.toString(),
                "../testdata/pg-basic.pcap")).isEqualTo(0);
        String all = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertThat(all).doesNotContain(SECRET).doesNotContain("c0ffee");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("tls.keylog.malformed=1");
    }
}
