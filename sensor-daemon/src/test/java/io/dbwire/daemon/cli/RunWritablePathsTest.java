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
 * {@code run} checks every path it will write before it starts anything: one line naming the key, exit 2.
 * (Permission bits do not stop root, so the unwritable cases are a regular file in the path, a directory where a
 * file belongs, and /proc, which nobody can create files in.)
 */
class RunWritablePathsTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String yaml) throws Exception {
        Path cfg = Files.writeString(dir.resolve("dbwire.yml"), "listen: {address: 127.0.0.1, vxlan_port: 0}\n"
                + "metrics: {address: 127.0.0.1, port: 0}\n" + yaml);
        return DbwireCli.execute(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "run", "--config", cfg.toString());
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRecordsFileUnderARegularFileFailsStartNamingTheKey() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        String records = plain.resolve("records.jsonl").toString();
        assertThat(run("records: {file: " + records + "}\nstate: {directory: " + dir + "}\n")).isEqualTo(2);
        assertThat(err()).isEqualTo("dbwire: records.file: " + records + " cannot be written: " + plain
                + " is not a directory" + System.lineSeparator());
    }

    @Test
    void anAlertsFileThatIsADirectoryFailsStartNamingTheKey() throws Exception {
        assertThat(run("alerts: {file: " + dir + "}\nstate: {directory: " + dir + "}\n")).isEqualTo(2);
        assertThat(err()).isEqualTo("dbwire: alerts.file: " + dir + " cannot be written: is a directory"
                + System.lineSeparator());
    }

    @Test
    void aStateDirectoryNobodyCanCreateFailsStartNamingTheKey() throws Exception {
        assertThat(run("alerts: {file: " + dir.resolve("a.jsonl") + "}\nstate: {directory: /proc/dbwire-state}\n"))
                .isEqualTo(2);
        assertThat(err()).startsWith("dbwire: state.directory: /proc/dbwire-state cannot be written: cannot write in /proc")
                .hasLineCount(1);
        assertThat(dir.resolve("a.jsonl")).as("nothing was started").doesNotExist();
    }

    @Test
    void aDuplicateKeyIsOneLineNamingItAndExit2() throws Exception {
        assertThat(run("tcp:\n  max_flows: 5\n  max_flows: 6\n")).isEqualTo(2);
        assertThat(err()).isEqualTo("dbwire: config: tcp.max_flows: stated twice (line 5)" + System.lineSeparator());
    }
}
