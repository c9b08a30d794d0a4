package io.dbwire.daemon.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** tcpdump on the loopback interface for one TCP port, written to a pcap file as packets arrive. */
final class LoopbackCapture implements AutoCloseable {
    private final Process tcpdump;
    private final Path file;
    private final Path log;

    private LoopbackCapture(Process tcpdump, Path file, Path log) {
        this.tcpdump = tcpdump;
        this.file = file;
        this.log = log;
    }

    static boolean available() {
        return ExternalProcess.isRoot()
                && (Files.isExecutable(Path.of("/usr/bin/tcpdump")) || Files.isExecutable(Path.of("/usr/sbin/tcpdump")));
    }

    static LoopbackCapture start(int port, Path file) throws IOException, InterruptedException {
        Path log = Files.createTempFile("tcpdump", ".log");
        Process p = new ProcessBuilder(List.of("tcpdump", "-i", "lo", "-s", "0", "-U", "--immediate-mode", "-w", file.toString(),
                "tcp port " + port)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.readString(log, StandardCharsets.UTF_8).contains("listening on")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("tcpdump did not start: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        return new LoopbackCapture(p, file, log);
    }

    /** Stops the capture (SIGTERM makes tcpdump flush and close the file) and returns the file. */
    Path stop() throws IOException, InterruptedException {
        Thread.sleep(1_000); // let the last segments of closing connections reach the capture
        tcpdump.destroy();
        if (!tcpdump.waitFor(20, TimeUnit.SECONDS)) {
            tcpdump.destroyForcibly();
        }
        Files.deleteIfExists(log);
        return file;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (tcpdump.isAlive()) {
            stop();
        }
    }
}
