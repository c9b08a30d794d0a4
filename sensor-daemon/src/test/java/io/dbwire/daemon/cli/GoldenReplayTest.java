package io.dbwire.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bundled captures' records and alerts, byte for byte, as {@code dbwire replay CAPTURE} prints them. A change
 * to any parser, the normaliser, detection or the JSON form shows here as a diff of testdata/golden/*.jsonl.
 *
 * <p>When a change of output is intended, regenerate the files and commit them with the change that explains
 * them: {@code mvn -B -o test -pl sensor-daemon -am -Dtest=GoldenReplayTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Ddbwire.golden.update=true}, then read the diff.
 */
class GoldenReplayTest {
    private static final Path TESTDATA = Path.of("..", "testdata");
    private static final boolean UPDATE = Boolean.getBoolean("dbwire.golden.update");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"pg-basic", "pg-basic-vxlan", "mysql-basic"})
    void replayPrintsTheGoldenRecordsAndAlerts(String capture) throws Exception {
        // Alerts name their sensor, by default the host name: fixed here so that the files hold on any machine.
        Path config = Files.writeString(dir.resolve("golden.yml"), "outputs:\n  sensor_name: golden\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = DbwireCli.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                "replay", "--config", config.toString(), TESTDATA.resolve(capture + ".pcap").toString());
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("problems: none");
        String actual = out.toString(StandardCharsets.UTF_8);
        assertThat(actual).contains("\"kind\":\"statement\"");

        Path golden = TESTDATA.resolve("golden").resolve(capture + ".jsonl");
        if (UPDATE) {
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        assertThat(golden).as("golden file; regenerate with -Ddbwire.golden.update=true").exists();
        assertThat(actual).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
}
