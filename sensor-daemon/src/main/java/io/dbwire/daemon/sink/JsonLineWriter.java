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
 */
public final class JsonLineWriter implements AutoCloseable {
    private static final int BUFFER_BYTES = 256 * 1024;

    private final boolean owned;
    private final RollingLineFile file;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private OutputStream stream;
    private int buffered;
    private long lines;
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
                stream.write(line, offset, length);
            } else {
                System.arraycopy(line, offset, buffer, buffered, length);
                buffered += length;
            }
            lines++;
            activeBytes += length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    public synchronized long lines() {
        return lines;
    }

    public synchronized void flush() {
        try {
            drain();
            stream.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void drain() throws IOException {
        if (buffered > 0) {
            stream.write(buffer, 0, buffered);
            buffered = 0;
        }
    }

    private void closeStream() throws IOException {
        drain();
        stream.flush();
        stream.close();
    }

    @Override
    public synchronized void close() {
        flush();
        if (owned) {
            try {
                stream.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
