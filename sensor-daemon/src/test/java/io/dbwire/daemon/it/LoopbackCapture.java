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
        return start(List.of("tcpdump", "-i", "lo", "-s", "0", "-U", "--immediate-mode", "-w", file.toString(),
                "tcp port " + port), file);
    }

    /**
     * As {@link #start(int, Path)} with a kernel buffer of {@code bufferKiB}: heavy traffic (pgbench) overruns
     * the default 2 MiB and the kernel drops packets, which the test would see as gaps that are not the sensor's.
     */
    static LoopbackCapture start(int port, Path file, int bufferKiB) throws IOException, InterruptedException {
        // Without --immediate-mode libpcap wakes up per ring block instead of per packet: far less CPU on a
        // busy machine, and SIGTERM still flushes everything to the file.
        return start(List.of("tcpdump", "-i", "lo", "-s", "0", "-B", Integer.toString(bufferKiB), "-w",
                file.toString(), "tcp port " + port), file);
    }

    private static LoopbackCapture start(List<String> command, Path file) throws IOException, InterruptedException {
        Path log = Files.createTempFile("tcpdump", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
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

    /**
     * Stops the capture like {@link #stop()} and returns how many packets the kernel dropped (tcpdump's own
     * figure, -1 when it did not print one): a capture that lost packets cannot be compared exactly.
     */
    long stopCountingDrops() throws IOException, InterruptedException {
        Thread.sleep(1_000);
        tcpdump.destroy();
        if (!tcpdump.waitFor(20, TimeUnit.SECONDS)) {
            tcpdump.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) packets? dropped by kernel").matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (tcpdump.isAlive()) {
            stop();
        }
    }
}
