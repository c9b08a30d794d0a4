package io.dbwire.daemon.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Alerts the alert file could not take, kept on disk in {@code state.directory} so a restart does not lose them:
 * {@code alert-spool.jsonl} (one alert JSON line each, fsync'd as it is appended) and {@code alert-spool.offset}
 * (the byte offset of the first alert not yet written to the alert file, replaced atomically after each drained
 * batch). The file is emptied once everything was drained. A crash between writing a batch to the alert file and
 * saving the offset writes that batch again at the next drain: alerts may be duplicated, never lost. A torn last
 * line (a crash while appending) is cut off at open.
 */
final class AlertDiskSpool implements AutoCloseable {
    static final String FILE_NAME = "alert-spool.jsonl";
    static final String OFFSET_NAME = "alert-spool.offset";
    /** One spooled alert and the bytes of its line, newline included. */
    record Entry(String alert, int bytes) {}

    private final Path path;
    private final Path offsetFile;
    private final FileChannel file;
    private final long maxBytes;
    private long offset;
    private long pendingAlerts;

    private AlertDiskSpool(Path path, Path offsetFile, FileChannel file, long maxBytes, long offset, long pending) {
        this.path = path;
        this.offsetFile = offsetFile;
        this.file = file;
        this.maxBytes = maxBytes;
        this.offset = offset;
        this.pendingAlerts = pending;
    }

    static AlertDiskSpool open(Path directory, long maxBytes) throws IOException {
        Files.createDirectories(directory);
        Path path = directory.resolve(FILE_NAME);
        FileChannel file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        SpoolLines.cutTornLine(file);
        Path offsetFile = directory.resolve(OFFSET_NAME);
        long offset = 0;
        if (Files.isRegularFile(offsetFile)) {
            try {
                offset = Long.parseLong(Files.readString(offsetFile).trim());
            } catch (NumberFormatException e) {
                offset = 0; // unreadable: drain everything again (duplicates, never a loss)
            }
        }
        if (offset < 0 || offset > file.size()) {
            offset = 0; // the file was emptied after the offset was saved
        }
        return new AlertDiskSpool(path, offsetFile, file, maxBytes, offset, countLines(file, offset));
    }

    /**
     * Appends one alert and forces it to disk; false (nothing kept) when the spool is at its size bound or the
     * write failed, in which case any torn bytes are cut off again.
     */
    synchronized boolean append(String alert) {
        byte[] line = (alert.replace('\n', ' ') + '\n').getBytes(StandardCharsets.UTF_8);
        long size;
        try {
            size = file.size();
        } catch (IOException e) {
            return false;
        }
        if (size + line.length > maxBytes) {
            return false;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(line);
            long at = size;
            while (b.hasRemaining()) {
                at += file.write(b, at);
            }
            file.force(false);
        } catch (IOException e) {
            try {
                file.truncate(size);
            } catch (IOException ignored) {
                // the torn line is cut at the next open
            }
            return false;
        }
        pendingAlerts++;
        return true;
    }

    /** Up to {@code max} spooled alerts not yet drained, oldest first. */
    synchronized List<Entry> peek(int max) throws IOException {
        List<Entry> out = new ArrayList<>();
        long lineStart = offset;
        for (SpoolLines.Line line : SpoolLines.read(file, offset, max)) {
            out.add(new Entry(line.text(), (int) (line.end() - lineStart)));
            lineStart = line.end();
        }
        return out;
    }

    /**
     * The first {@code alerts} entries of the last {@link #peek} ({@code bytes}, the sum of their sizes) are in the alert
     * file: saves the new offset, and empties the spool when nothing is left. A failure to save it only means those
     * alerts are written again after a restart.
     */
    synchronized void drained(int alerts, long bytes) throws IOException {
        offset += bytes;
        pendingAlerts -= alerts;
        if (offset >= file.size()) {
            file.truncate(0); // before the offset: a crash in between leaves an offset past the end, read as 0
            file.force(true);
            offset = 0;
            pendingAlerts = 0;
        }
        Path tmp = offsetFile.resolveSibling(OFFSET_NAME + ".tmp");
        Files.writeString(tmp, Long.toString(offset));
        Files.move(tmp, offsetFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    synchronized long pendingAlerts() {
        return pendingAlerts;
    }

    /** Bytes in the spool file, drained or not. */
    synchronized long bytes() {
        try {
            return file.size();
        } catch (IOException e) {
            return 0;
        }
    }

    Path path() {
        return path;
    }

    @Override
    public synchronized void close() throws IOException {
        file.close();
    }

    private static long countLines(FileChannel file, long from) throws IOException {
        long lines = 0;
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        for (long at = from; at < file.size(); ) {
            b.clear();
            int n = file.read(b, at);
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (b.get(i) == '\n') {
                    lines++;
                }
            }
            at += n;
        }
        return lines;
    }
}
