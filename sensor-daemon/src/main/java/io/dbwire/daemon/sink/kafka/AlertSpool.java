package io.dbwire.daemon.sink.kafka;

import io.dbwire.daemon.sink.SpoolLines;
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
 * A first-in first-out queue of alerts on disk: an append-only file of lines {@code key TAB value} and a second file
 * holding the byte offset of the first line the broker has not acknowledged. An alert is accepted once its line is
 * written; it leaves the spool only through {@link #ack}. When everything is acknowledged the file is emptied.
 * A torn last line (a crash while writing) is cut off at open.
 */
final class AlertSpool implements AutoCloseable {
    /** One spooled alert; {@code end} is the offset just after its line. */
    record Entry(String key, String value, long end) {}

    private final Path offsetFile;
    private final FileChannel file;
    private final long maxBytes;
    private long acked;

    private AlertSpool(Path offsetFile, FileChannel file, long maxBytes, long acked) {
        this.offsetFile = offsetFile;
        this.file = file;
        this.maxBytes = maxBytes;
        this.acked = acked;
    }

    static AlertSpool open(Path directory, String name, long maxBytes) throws IOException {
        Files.createDirectories(directory);
        FileChannel file = FileChannel.open(directory.resolve(name + ".spool"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        SpoolLines.cutTornLine(file);
        Path offsetFile = directory.resolve(name + ".offset");
        long acked = 0;
        if (Files.isRegularFile(offsetFile)) {
            try {
                acked = Long.parseLong(Files.readString(offsetFile).trim());
            } catch (NumberFormatException e) {
                acked = 0; // unreadable: send everything again (ids are stable, a consumer can tell repeats)
            }
        }
        if (acked < 0 || acked > file.size()) {
            acked = 0; // the spool was emptied after the offset was written
        }
        return new AlertSpool(offsetFile, file, maxBytes, acked);
    }

    /** False when the spool is at its size bound: the alert is not accepted. */
    synchronized boolean append(String key, String value) throws IOException {
        byte[] line = (key.replace('\t', ' ').replace('\n', ' ') + '\t' + value.replace('\n', ' ') + '\n')
                .getBytes(StandardCharsets.UTF_8);
        long size = file.size();
        if (size + line.length > maxBytes) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(line);
        long at = size;
        while (b.hasRemaining()) {
            at += file.write(b, at);
        }
        notifyAll();
        return true;
    }

    /** Up to {@code max} unacknowledged alerts, oldest first; empty when there are none. */
    synchronized List<Entry> peek(int max) throws IOException {
        List<Entry> out = new ArrayList<>();
        for (SpoolLines.Line line : SpoolLines.read(file, acked, max)) {
            String text = line.text();
            int tab = text.indexOf('\t');
            out.add(new Entry(tab < 0 ? "" : text.substring(0, tab), text.substring(tab + 1), line.end()));
        }
        return out;
    }

    /** Everything before {@code offset} reached the broker. */
    synchronized void ack(long offset) throws IOException {
        acked = offset;
        if (acked >= file.size()) {
            file.truncate(0);
            acked = 0;
        }
        Path tmp = offsetFile.resolveSibling(offsetFile.getFileName() + ".tmp");
        Files.writeString(tmp, Long.toString(acked));
        Files.move(tmp, offsetFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Waits up to {@code millis} for an append when nothing is pending. */
    synchronized void awaitPending(long millis) throws InterruptedException, IOException {
        if (acked >= file.size()) {
            wait(millis);
        }
    }

    synchronized void wakeUp() {
        notifyAll();
    }

    /** Bytes not yet acknowledged. */
    synchronized long pendingBytes() throws IOException {
        return file.size() - acked;
    }

    @Override
    public synchronized void close() throws IOException {
        file.force(true);
        file.close();
    }
}
