package io.dbwire.daemon.source;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a numeric Linux sysctl from /proc/sys. Not with {@code Files.readString}: /proc files report size 0, so
 * the JDK reads one byte, then asks again at offset 1, where the kernel answers end-of-file for numeric sysctls;
 * rmem_max 4194304 came back as "4". One buffered read from offset 0 gets the whole value.
 */
final class Sysctl {
    static final Path RMEM_MAX = Path.of("/proc/sys/net/core/rmem_max");

    private Sysctl() {}

    /** The first number in the file, or -1 when it cannot be read (not Linux, no permission, not a number). */
    static long readLong(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String line = in.readLine();
            return line == null ? -1 : Long.parseLong(line.trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
