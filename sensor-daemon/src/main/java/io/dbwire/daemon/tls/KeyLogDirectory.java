package io.dbwire.daemon.tls;

import io.dbwire.core.tls.KeyLogStore;
import io.dbwire.daemon.clock.MicrosClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tails every regular file of a directory of NSS key log files (one {@code LABEL random secret} line each) into a
 * {@link KeyLogStore}: new files are picked up, appended lines followed, a file that shrank or was replaced
 * (rotation) is read again from its start. Remembers an offset per file; reads at most {@link #MAX_BYTES_PER_POLL}
 * per file per poll, and a line longer than {@link #MAX_LINE} is dropped and counted. Line outcomes are counted by
 * the store ({@code tls.keylog.*}); lines are never logged or copied anywhere else. Not thread-safe: one caller
 * (the scheduler of {@link KeyLogWatcher}) polls.
 */
public final class KeyLogDirectory {
    /** NSS lines are at most ~230 characters (label, 64 hex random, 96 hex secret); anything longer is not one. */
    static final int MAX_LINE = 1024;
    static final int MAX_BYTES_PER_POLL = 1 << 20;
    /** Files followed at once; beyond it new files are ignored (counted) until others disappear. */
    static final int MAX_FILES = 10_000;

    private final Path directory;
    private final KeyLogStore store;
    private final MicrosClock clock;
    private final Map<Path, Tail> tails = new HashMap<>();
    private final byte[] chunk = new byte[64 * 1024];
    private final AtomicLong linesTooLong = new AtomicLong();
    private final AtomicLong readErrors = new AtomicLong();
    private final AtomicLong filesIgnored = new AtomicLong();

    /** One followed file: where reading resumes, and the start of a line not yet ended by a newline. */
    private static final class Tail {
        Object fileKey;
        long offset;
        final byte[] partial = new byte[MAX_LINE];
        int partialFill;
        boolean discarding;
    }

    public KeyLogDirectory(Path directory, KeyLogStore store, MicrosClock clock) {
        this.directory = directory;
        this.store = store;
        this.clock = clock;
    }

    /** Reads what was appended since the last poll; never throws on I/O trouble (counted). */
    public void poll() {
        Set<Path> seen = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                if (file.getFileName().toString().startsWith(".")) {
                    continue; // editors' and forwarders' temporary files
                }
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(file, BasicFileAttributes.class);
                } catch (IOException e) {
                    readErrors.incrementAndGet();
                    continue;
                }
                if (!a.isRegularFile()) {
                    continue;
                }
                seen.add(file);
                Tail t = tails.get(file);
                if (t == null) {
                    if (tails.size() >= MAX_FILES) {
                        filesIgnored.incrementAndGet();
                        continue;
                    }
                    t = new Tail();
                    t.fileKey = a.fileKey();
                    tails.put(file, t);
                }
                if (a.size() < t.offset || (a.fileKey() != null && !a.fileKey().equals(t.fileKey))) {
                    t.offset = 0; // truncated or replaced: read the new content from its start
                    t.partialFill = 0;
                    t.discarding = false;
                    t.fileKey = a.fileKey();
                }
                if (a.size() > t.offset) {
                    read(file, t);
                }
            }
        } catch (IOException | RuntimeException e) {
            readErrors.incrementAndGet();
        }
        tails.keySet().retainAll(seen);
    }

    private void read(Path file, Tail t) {
        long budget = MAX_BYTES_PER_POLL;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.position(t.offset);
            while (budget > 0) {
                int n = ch.read(ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, budget)));
                if (n <= 0) {
                    break;
                }
                t.offset += n;
                budget -= n;
                lines(t, n);
            }
        } catch (IOException e) {
            readErrors.incrementAndGet();
        }
    }

    /** Splits chunk[0..n) into lines, continuing the file's partial line; complete lines go to the store. */
    private void lines(Tail t, int n) {
        long now = clock.nowMicros();
        for (int i = 0; i < n; i++) {
            byte b = chunk[i];
            if (b == '\n') {
                if (!t.discarding) {
                    int end = t.partialFill > 0 && t.partial[t.partialFill - 1] == '\r' ? t.partialFill - 1 : t.partialFill;
                    store.addLine(new String(t.partial, 0, end, StandardCharsets.US_ASCII), now);
                }
                java.util.Arrays.fill(t.partial, 0, t.partialFill, (byte) 0);
                t.partialFill = 0;
                t.discarding = false;
            } else if (t.discarding) {
                continue;
            } else if (t.partialFill == MAX_LINE) {
                linesTooLong.incrementAndGet();
                java.util.Arrays.fill(t.partial, (byte) 0);
                t.partialFill = 0;
                t.discarding = true;
            } else {
                t.partial[t.partialFill++] = b;
            }
        }
        java.util.Arrays.fill(chunk, 0, n, (byte) 0);
    }

    public int filesFollowed() {
        return tails.size();
    }

    public long linesTooLong() {
        return linesTooLong.get();
    }

    public long readErrors() {
        return readErrors.get();
    }

    public long filesIgnored() {
        return filesIgnored.get();
    }

    @Override
    public String toString() {
        return "KeyLogDirectory[" + directory + ", files=" + tails.size() + "]";
    }
}
