package io.dbwire.daemon.fault;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real full disk for fault tests: a tmpfs of a few pages mounted on a test directory (needs root, as the
 * integration tests do; {@link #mount} returns null otherwise so the test can be skipped), and a filler file that
 * takes every free byte until {@link #free()} deletes it.
 */
public final class TinyDisk implements AutoCloseable {
    private final Path dir;
    private final Path filler;

    private TinyDisk(Path dir) {
        this.dir = dir;
        this.filler = dir.resolve("filler");
    }

    /** Mounts a tmpfs of {@code bytes} on {@code dir}; null when this process may not mount. */
    public static TinyDisk mount(Path dir, long bytes) throws Exception {
        Files.createDirectories(dir);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            return null;
        }
        return new TinyDisk(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Writes the filler until the file system says it is full. */
    public void fill() throws IOException {
        byte[] block = new byte[1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
    }

    public void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    @Override
    public void close() throws Exception {
        Process p = new ProcessBuilder("umount", "-l", dir.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(20, TimeUnit.SECONDS);
    }
}
