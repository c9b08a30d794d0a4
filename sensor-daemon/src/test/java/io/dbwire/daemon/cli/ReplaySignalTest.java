package io.dbwire.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay} as its own process reading a named pipe, so the test decides when the input pauses: SIGINT while
 * it waits for more packets ends it with the summary, exit 130, and both files ending on a whole line.
 */
class ReplaySignalTest {
    private static final Path CAPTURE = Path.of("../testdata/pg-basic-vxlan.pcap");
    private static final int PCAP_HEADER = 24;

    @TempDir
    Path dir;

    @Test
    void sigintFlushesWholeLinesAndPrintsTheSummary() throws Exception {
        Path fifo = dir.resolve("capture.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Path records = dir.resolve("records.jsonl");
        Path alerts = dir.resolve("alerts.jsonl");
        Path stderr = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DbwireCli.class.getName(),
                "replay", "--records", records.toString(), "--alerts", alerts.toString(), fifo.toString()))
                .redirectError(stderr.toFile()).start();
        byte[] capture = Files.readAllBytes(CAPTURE);
        try (OutputStream pipe = Files.newOutputStream(fifo)) { // opens once the replay opens its end
            pipe.write(capture);
            pipe.flush();
            awaitIdle(p.pid()); // the replay has read everything and waits for more
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
            assertThat(kill.waitFor()).isZero();
            Thread.sleep(300);
            // One more packet (the capture's first record again) wakes the reader, which then stops.
            int firstLength = readIntLe(capture, PCAP_HEADER + 8);
            pipe.write(capture, PCAP_HEADER, 16 + firstLength);
            pipe.flush();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err).isEqualTo(ExitCodes.INTERRUPTED);
        assertThat(err).contains("dbwire replay: files=1 packets=276 ").contains("dbwire replay: interrupted");
        assertWholeJsonLines(records, 30);
        assertWholeJsonLines(alerts, 2);
    }

    private static void assertWholeJsonLines(Path file, int expected) throws Exception {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n");
        ObjectMapper json = new ObjectMapper();
        List<String> lines = text.lines().toList();
        assertThat(lines).hasSize(expected);
        for (String line : lines) {
            assertThat(json.readTree(line).isObject()).isTrue();
        }
    }

    /**
     * Waits until every thread of the process sleeps and its CPU time stands still for half a second: the replay
     * then waits in read() for more input. A fixed sleep was not enough on a loaded machine (the replay was still
     * reading when SIGINT came, stopped early and closed the pipe).
     */
    private static void awaitIdle(long pid) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long lastCpu = -1;
        int quietSamples = 0;
        while (quietSamples < 5 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            long cpu = 0;
            boolean allSleeping = true;
            try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path task : tasks.toList()) {
                    String stat;
                    try {
                        stat = Files.readString(task.resolve("stat"));
                    } catch (java.nio.file.NoSuchFileException gone) {
                        continue; // a thread that just ended
                    }
                    // Fields after the command name "(...)": state is the first, utime and stime the 12th and 13th.
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    allSleeping &= !f[0].equals("R");
                    cpu += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                }
            }
            quietSamples = allSleeping && cpu == lastCpu ? quietSamples + 1 : 0;
            lastCpu = cpu;
        }
    }

    private static int readIntLe(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }
}
