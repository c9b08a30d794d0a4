package io.dbwire.daemon.sink;

import io.dbwire.daemon.config.DaemonConfig.Rotation;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JSON-lines file that {@link JsonLineWriter} rolls over between two lines: at midnight UTC and when the next
 * line would take it past the size bound. Rolled-over files are {@code FILE.yyyy-MM-dd.N} (the day the lines were
 * written, N from 0), the alert log's names too; those older than the retention or beyond the total
 * size (of rolled-over files, as Logback's totalSizeCap) are deleted, oldest first. With no rotation the file is only reopened (SIGHUP after logrotate moved it).
 */
public final class RollingLineFile {
    private final Path file;
    private final Rotation rotation;
    private final Clock clock;
    private final Pattern archiveName;
    private LocalDate activeDay;

    /** @param rotation null = never roll over, only append and reopen */
    public RollingLineFile(Path file, Rotation rotation, Clock clock) {
        this.file = file.toAbsolutePath();
        this.rotation = rotation;
        this.clock = clock;
        this.archiveName = Pattern.compile(Pattern.quote(this.file.getFileName().toString())
                + "\\.(\\d{4}-\\d{2}-\\d{2})\\.(\\d+)");
    }

    public Path path() {
        return file;
    }

    /** Opens the active file for appending, creating it and its directory. */
    OutputStream open() throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        activeDay = today();
        return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
    }

    /** Truncates the active file to {@code bytes} when it is longer (the torn tail of a write that failed). */
    void cutTo(long bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            if (ch.size() > bytes) {
                ch.truncate(bytes);
            }
        }
    }

    /** Bytes in the active file now (after a reopen it may be a fresh one). */
    long activeSize() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Whether to roll over before writing a line of {@code nextBytes} to a file holding {@code activeBytes}. */
    boolean rollDue(long activeBytes, int nextBytes) {
        if (rotation == null) {
            return false;
        }
        return (activeBytes > 0 && activeBytes + nextBytes > rotation.maxFileBytes()) || !today().equals(activeDay);
    }

    /** Renames the (closed) active file to the next archive name of its day, then applies retention. */
    void rollOver() throws IOException {
        try {
            if (Files.size(file) > 0) {
                Files.move(file, nextArchive(activeDay), StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (NoSuchFileException e) {
            // moved away meanwhile (logrotate without a reopen yet): nothing of ours to roll over
        }
        deleteExpired();
    }

    private Path nextArchive(LocalDate day) throws IOException {
        int next = 0;
        for (Archive a : archives()) {
            if (a.day.equals(day)) {
                next = Math.max(next, a.index + 1);
            }
        }
        return file.resolveSibling(file.getFileName() + "." + day + "." + next);
    }

    private void deleteExpired() throws IOException {
        List<Archive> archives = archives();
        archives.sort(Comparator.comparing((Archive a) -> a.day).thenComparingInt(a -> a.index).reversed());
        LocalDate oldestKept = today().minusDays(rotation.keepDays());
        long total = 0; // rolled-over files only, as Logback's totalSizeCap
        for (Archive a : archives) { // newest first: keep while within both bounds
            total += a.size;
            if (a.day.isBefore(oldestKept) || total > rotation.totalBytes()) {
                Files.deleteIfExists(a.path);
            }
        }
    }

    /** Rolled-over files of this file, in no order. */
    List<Archive> archives() throws IOException {
        List<Archive> found = new ArrayList<>();
        Path dir = file.getParent();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                Matcher m = archiveName.matcher(p.getFileName().toString());
                if (m.matches()) {
                    found.add(new Archive(p, LocalDate.parse(m.group(1)), Integer.parseInt(m.group(2)), Files.size(p)));
                }
            }
        }
        return found;
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    record Archive(Path path, LocalDate day, int index, long size) {}
}
