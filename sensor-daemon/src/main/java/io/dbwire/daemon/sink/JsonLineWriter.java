package io.dbwire.daemon.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Buffered UTF-8 output of one JSON object per line. Synchronised so that records and alerts sharing one
 * stream (both on stdout) never interleave inside a line. Closing leaves a borrowed stream (stdout) open.
 * Lines arrive either as Strings (alerts) or as ready UTF-8 bytes (records, see {@code RecordLine}); both land in
 * one byte buffer that goes to the stream in large writes. Over a {@link RollingLineFile} it rolls over and reopens
 * only between two lines, so no line is cut.
 *
 * <p>A write that fails (a full disk) loses the lines not yet written, never part of one: over a file the bytes of
 * the failed write are cut off again, the buffered lines are dropped and counted ({@link #droppedLines()}), the
 * failure is kept for health ({@link #failure()}) and the call throws {@link UncheckedIOException}. Later lines go
 * to the buffer as usual, so the next flush is the retry; the first write that succeeds clears the failure.
 */
public final class JsonLineWriter implements AutoCloseable {
    private static final int BUFFER_BYTES = 256 * 1024;

    private final boolean owned;
    private final RollingLineFile file;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private OutputStream stream;
    private int buffered;
    private int bufferedLines;
    private long lines;
    private long droppedLines;
    private long failedWrites;
    /** The last write failure, or null once a write succeeded after it. */
    private IOException failure;
    /** Bytes written to the active file, buffered ones included. */
    private long activeBytes;

    public JsonLineWriter(OutputStream stream, boolean owned) {
        this.owned = owned;
        this.file = null;
        this.stream = stream;
    }

    /** Appends to a file that rolls over by its rotation and can be reopened ({@link #reopen()}). */
    public JsonLineWriter(RollingLineFile file) throws IOException {
        this.owned = true;
        this.file = file;
        this.stream = file.open();
        activeBytes = file.activeSize();
    }

    public void writeLine(String json) {
        byte[] bytes = (json + "\n").getBytes(StandardCharsets.UTF_8);
        writeLine(bytes, 0, bytes.length);
    }

    /** One line already encoded, its newline included. */
    public synchronized void writeLine(byte[] line, int offset, int length) {
        try {
            if (file != null && file.rollDue(activeBytes, length)) {
                closeStream();
                file.rollOver();
                stream = file.open();
                activeBytes = 0;
            }
            if (length > buffer.length - buffered) {
                drain();
            }
            if (length > buffer.length) {
                writeThrough(line, offset, length);
            } else {
                System.arraycopy(line, offset, buffer, buffered, length);
                buffered += length;
                bufferedLines++;
            }
            lines++;
            activeBytes += length;
        } catch (IOException e) {
            droppedLines++; // this line; drain() counted the buffered ones
            throw new UncheckedIOException(e);
        }
    }

    private void writeThrough(byte[] line, int offset, int length) throws IOException {
        try {
            stream.write(line, offset, length);
            failure = null;
        } catch (IOException e) {
            failed(e, activeBytes);
            throw e;
        }
    }

    /**
     * Flushes and reopens the file by its name: after logrotate moved it away, lines go to a new file (SIGHUP).
     * A no-op for a borrowed stream.
     */
    public synchronized void reopen() {
        if (file == null) {
            return;
        }
        try {
            closeStream();
            stream = file.open();
            activeBytes = file.activeSize();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines accepted so far, dropped ones included. */
    public synchronized long lines() {
        return lines;
    }

    /** Lines lost to failed writes. */
    public synchronized long droppedLines() {
        return droppedLines;
    }

    /** Writes that failed. */
    public synchronized long failedWrites() {
        return failedWrites;
    }

    /** The last write failure ("No space left on device"), or null when the last write succeeded. */
    public synchronized String failure() {
        return failure == null ? null : String.valueOf(failure.getMessage());
    }

    public synchronized void flush() {
        try {
            drain();
            stream.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As {@link #flush()}, for callers that read the failure from {@link #failure()}: false if it failed. */
    public synchronized boolean tryFlush() {
        try {
            flush();
            return true;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    private void drain() throws IOException {
        if (buffered > 0) {
            long before = activeBytes - buffered;
            try {
                stream.write(buffer, 0, buffered);
                failure = null;
            } catch (IOException e) {
                droppedLines += bufferedLines;
                failed(e, before);
                throw e;
            } finally {
                buffered = 0;
                bufferedLines = 0;
            }
        }
    }

    /** Cuts off what the failed write left of a line, so the file still ends at a line boundary. */
    private void failed(IOException e, long goodBytes) {
        failedWrites++;
        failure = e;
        activeBytes = goodBytes;
        if (file != null) {
            try {
                file.cutTo(goodBytes);
            } catch (IOException cut) {
                e.addSuppressed(cut);
            }
        }
    }

    private void closeStream() throws IOException {
        drain();
        stream.flush();
        stream.close();
    }

    @Override
    public synchronized void close() {
        UncheckedIOException failed = null;
        try {
            flush();
        } catch (UncheckedIOException e) {
            failed = e; // the stream is still closed below
        }
        if (owned) {
            try {
                stream.close();
            } catch (IOException e) {
                failed = failed != null ? failed : new UncheckedIOException(e);
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
