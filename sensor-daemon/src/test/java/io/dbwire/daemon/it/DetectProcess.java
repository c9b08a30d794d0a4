package io.dbwire.daemon.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code dbwire detect} as a child JVM (the daemon's classes from the test class path), with its own config file,
 * alert file and log: {@link #stop()} is SIGTERM (partitions released, state saved, offsets committed), {@link #kill()}
 * is SIGKILL (a crash).
 */
final class DetectProcess implements AutoCloseable {
    private final Path dir;
    private final Process process;

    private DetectProcess(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    /** Starts one instance whose files live in {@code dir}; {@code yaml} is its whole dbwire.yml. */
    static DetectProcess start(Path dir, String yaml) throws IOException {
        Files.createDirectories(dir);
        Path config = dir.resolve("dbwire.yml");
        Files.writeString(config, yaml);
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dlogback.configurationFile=" + Path.of("../config/logback.xml").toAbsolutePath(),
                "-cp", classPath(), "io.dbwire.daemon.cli.DbwireCli", "detect", "--config", config.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("detect.log").toFile())).start();
        return new DetectProcess(dir, p);
    }

    String log() throws IOException {
        Path f = dir.resolve("detect.log");
        return Files.isRegularFile(f) ? Files.readString(f) : "";
    }

    /** SIGTERM and wait; the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            return -1;
        }
        return process.exitValue();
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }
}
