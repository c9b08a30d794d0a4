package io.dbwire.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbwire.daemon.console.VxlanDatagrams;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbwire run} as its own process, fed the bundled VXLAN capture over and over (each round under its own
 * VNI, so every round is new traffic) and sent SIGTERM while datagrams still arrive: it exits 0, every record and
 * alert it counted is in its file, and both files end at a line boundary with one JSON object per line.
 */
class RunSigtermUnderLoadTest {
    private static final Path CAPTURE = Path.of("..", "testdata", "pg-basic-vxlan.pcap");
    private static final Pattern VXLAN = Pattern.compile("vxlan \\S*:(\\d+)");
    private static final Pattern STOPPED = Pattern.compile("dbwire stopped: .* records=(\\d+) alerts=(\\d+) ");

    @TempDir
    Path dir;

    @Test
    void sigtermWhileDatagramsArriveExits0WithWholeLinesAndEveryAlert() throws Exception {
        Path records = dir.resolve("records.jsonl");
        Path alerts = dir.resolve("alerts.jsonl");
        Path cfg = Files.writeString(dir.resolve("dbwire.yml"),
                "listen: {address: 127.0.0.1, vxlan_port: 0}\n"
                        + "metrics: {port: null}\n"
                        + "alerts: {file: " + alerts + "}\n"
                        + "records: {file: " + records + "}\n"
                        + "state: {directory: " + dir.resolve("state") + "}\n");
        Path log = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), DbwireCli.class.getName(),
                "run", "--config", cfg.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AtomicBoolean sending = new AtomicBoolean(true);
        AtomicLong sent = new AtomicLong();
        Thread sender = null;
        try {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", vxlanPort(p, log));
            List<byte[]> payloads = VxlanDatagrams.payloads(CAPTURE);
            sender = new Thread(() -> send(payloads, to, sending, sent), "test-sender");
            sender.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // Load first (an alert, 20 rounds sent, over 100 records written), then SIGTERM while it goes on: on a
            // busy machine the kernel drops much of the flood, so the wait is on what arrived, not on time.
            while (Files.notExists(alerts) || Files.size(alerts) == 0 || sent.get() < 20 * payloads.size()
                    || newlines(records) <= 100) {
                assertThat(System.nanoTime()).as("no alert yet: %s", Files.readString(log)).isLessThan(deadline);
                Thread.sleep(50);
            }
            p.destroy(); // SIGTERM, while the sender goes on
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            sending.set(false);
            if (sender != null) {
                sender.join(5_000);
            }
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        Matcher stopped = STOPPED.matcher(out);
        assertThat(stopped.find()).as(out).isTrue();
        long recordCount = Long.parseLong(stopped.group(1));
        long alertCount = Long.parseLong(stopped.group(2));
        assertThat(recordCount).as("records under load").isGreaterThan(100);
        assertThat(alertCount).isPositive();
        assertThat(wholeJsonLines(records)).isEqualTo(recordCount);
        assertThat(wholeJsonLines(alerts)).isEqualTo(alertCount);
        System.out.printf("SIGTERM under load: %d datagrams sent, %d records and %d alerts written%n",
                sent.get(), recordCount, alertCount);
    }

    private static long newlines(Path file) throws java.io.IOException {
        if (Files.notExists(file)) {
            return 0;
        }
        long n = 0;
        for (byte b : Files.readAllBytes(file)) {
            n += b == '\n' ? 1 : 0;
        }
        return n;
    }

    private static int vxlanPort(Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            String out = Files.readString(log, StandardCharsets.UTF_8);
            Matcher m = VXLAN.matcher(out);
            if (out.contains("dbwire started") && m.find()) {
                return Integer.parseInt(m.group(1));
            }
            assertThat(p.isAlive()).as("run exited early: %s", out).isTrue();
            assertThat(System.nanoTime()).as("no start line: %s", out).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Round after round of the capture, VNI 1, 2, 3...: each round's connections are new to the sensor. */
    private static void send(List<byte[]> payloads, InetSocketAddress to, AtomicBoolean sending, AtomicLong sent) {
        try (DatagramSocket socket = new DatagramSocket()) {
            for (int vni = 1; sending.get(); vni++) {
                for (byte[] original : payloads) {
                    byte[] d = original.clone();
                    d[4] = (byte) (vni >>> 16);
                    d[5] = (byte) (vni >>> 8);
                    d[6] = (byte) vni;
                    socket.send(new DatagramPacket(d, d.length, to));
                    sent.incrementAndGet();
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file's lines, each one JSON object; the file ends with a newline. */
    private static long wholeJsonLines(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes).isNotEmpty();
        assertThat(bytes[bytes.length - 1]).as("%s ends at a line boundary", file).isEqualTo((byte) '\n');
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : lines) {
            assertThat(json.readTree(line).isObject()).as(line).isTrue();
        }
        return lines.size();
    }
}
