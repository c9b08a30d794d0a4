package io.dbwire.daemon.lifecycle;

import io.dbwire.daemon.config.DaemonConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Every path {@code run} will write (alerts file, records file, state directory), checked before anything
 * starts, so a typo or a missing permission fails start with one line naming the key instead of, say, baselines
 * silently never being saved. A directory that does not exist yet is fine when it can be created: the check
 * writes (and removes) a probe file in the nearest existing ancestor, which also catches read-only file systems
 * and root on a read-only mount, where permission bits alone would say yes.
 */
final class WritablePaths {
    private static final String PROBE_PREFIX = ".dbwire-write-check";

    private WritablePaths() {}

    static void check(DaemonConfig config) throws DaemonStartException {
        file("alerts.file", config.alerts().file());
        file("records.file", config.records().file());
        directory("state.directory", config.state().directory());
    }

    private static void file(String key, String value) throws DaemonStartException {
        if (value == null) {
            return;
        }
        Path p = Path.of(value).toAbsolutePath();
        if (Files.isDirectory(p)) {
            throw fail(key, value, "is a directory");
        }
        if (Files.exists(p) && !Files.isWritable(p)) {
            throw fail(key, value, "the file is not writable");
        }
        probe(key, value, p.getParent());
    }

    private static void directory(String key, String value) throws DaemonStartException {
        if (value == null) {
            return;
        }
        Path p = Path.of(value).toAbsolutePath();
        if (Files.exists(p) && !Files.isDirectory(p)) {
            throw fail(key, value, "is not a directory");
        }
        probe(key, value, p);
    }

    /** Writes and removes a file in {@code dir}, or in its nearest existing ancestor when it does not exist yet. */
    private static void probe(String key, String value, Path dir) throws DaemonStartException {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw fail(key, value, "no existing parent directory");
        }
        if (!Files.isDirectory(existing)) {
            throw fail(key, value, existing + " is not a directory");
        }
        try {
            Files.delete(Files.createTempFile(existing, PROBE_PREFIX, ".tmp"));
        } catch (IOException | SecurityException e) {
            throw fail(key, value, "cannot write in " + existing + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static DaemonStartException fail(String key, String value, String why) {
        return new DaemonStartException(key + ": " + value + " cannot be written: " + why, null);
    }
}
