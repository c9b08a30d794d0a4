package io.dbwire.daemon.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link LoopbackCapture} with a large kernel capture buffer: 20 MiB answers arrive on loopback faster than
 * tcpdump drains the default 2 MiB buffer, and dropped packets would show up as gaps, not as parser results.
 */
final class MariaDbLoopbackCapture implements AutoCloseable {
    /** tcpdump -B, in KiB. */
    private static final int CAPTURE_BUFFER_KIB = 256 * 1024;

    private final Process tcpdump;
    private final Path file;
    private final Path log;

    private MariaDbLoopbackCapture(Process tcpdump, Path file, Path log) {
        this.tcpdump = tcpdump;
        this.file = file;
        this.log = log;
    }

    static boolean available() {
        return ExternalProcess.isRoot()
                && (Files.isExecutable(Path.of("/usr/bin/tcpdump")) || Files.isExecutable(Path.of("/usr/sbin/tcpdump")));
    }

    static MariaDbLoopbackCapture start(int port, Path file) throws IOException, InterruptedException {
        Path log = Files.createTempFile("tcpdump", ".log");
        Process p = new ProcessBuilder(List.of("tcpdump", "-i", "lo", "-s", "0", "-B", Integer.toString(CAPTURE_BUFFER_KIB), "-U", "--immediate-mode", "-w", file.toString(),
                "tcp port " + port)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.readString(log, StandardCharsets.UTF_8).contains("listening on")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("tcpdump did not start: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        return new MariaDbLoopbackCapture(p, file, log);
    }

    /** Stops the capture (SIGTERM makes tcpdump flush and close the file) and returns the file. */
    Path stop() throws IOException, InterruptedException {
        Thread.sleep(1_000); // let the last segments of closing connections reach the capture
        tcpdump.destroy();
        if (!tcpdump.waitFor(20, TimeUnit.SECONDS)) {
            tcpdump.destroyForcibly();
        }
        String stats = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        if (!java.util.regex.Pattern.compile("(?m)^0 packets dropped by kernel").matcher(stats).find()) {
            throw new IOException("tcpdump dropped packets: " + stats);
        }
        return file;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (tcpdump.isAlive()) {
            stop();
        }
    }
}
