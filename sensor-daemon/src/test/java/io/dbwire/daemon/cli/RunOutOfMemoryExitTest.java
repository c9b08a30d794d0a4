package io.dbwire.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.daemon.fault.FatalErrors;
import io.dbwire.daemon.fault.SynFlood;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} in a child JVM with a 48 MiB heap and the flow bound lifted, fed a SYN flood over VXLAN: the
 * pipeline thread's OutOfMemoryError must end the process with exit 70 and one line (systemd then restarts it),
 * not leave it running with dead threads.
 */
class RunOutOfMemoryExitTest {
    @TempDir
    Path dir;

    @Test
    void runEndsWithExit70WhenThePipelineRunsOutOfHeap() throws Exception {
        Path cfg = Files.writeString(dir.resolve("dbwire.yml"),
                "listen: {address: 127.0.0.1, vxlan_port: 0, queue_packets: 1024}\n"
                        + "metrics: {port: null}\n" + "console: {port: null}\n"
                        + "tcp: {max_flows: 2000000}\n"
                        + "memory: {budget_bytes: 17179869184}\n" // beyond the heap: nothing sheds
                        + "alerts: {file: " + dir.resolve("alerts.jsonl") + "}\n"
                        + "state: {directory: " + dir + "}\n");
        Path log = dir.resolve("out.txt");
        Process p = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), DbwireCli.class.getName(),
                "run", "--config", cfg.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            int port = awaitVxlanPort(p, log);
            try (DatagramSocket socket = new DatagramSocket()) {
                InetAddress to = InetAddress.getLoopbackAddress();
                for (int i = 0; i < 3_000_000 && p.isAlive(); i++) {
                    byte[] frame = SynFlood.frame(i);
                    byte[] vxlan = new byte[8 + frame.length];
                    vxlan[0] = 0x08; // VNI valid
                    vxlan[6] = 1;    // VNI 1
                    System.arraycopy(frame, 0, vxlan, 8, frame.length);
                    socket.send(new DatagramPacket(vxlan, vxlan.length, to, port));
                    if (i % 1_000 == 999) {
                        Thread.sleep(1); // let the pipeline keep up so frames become flows, not queue drops
                    }
                }
            }
            assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("still running: %s", Files.readString(log)).isTrue();
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(out).isEqualTo(FatalErrors.EXIT_STATUS);
            assertThat(out).contains("dbwire: fatal: java.lang.OutOfMemoryError");
        } finally {
            p.destroyForcibly();
        }
    }

    private static int awaitVxlanPort(Process p, Path log) throws Exception {
        Pattern started = Pattern.compile("dbwire started: udp \\S+ vxlan /127\\.0\\.0\\.1:(\\d+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Matcher m = started.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            assertThat(p.isAlive()).as("run exited early: %s", Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("no start line: %s", Files.readString(log)).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
