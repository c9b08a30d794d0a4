package io.dbwire.daemon.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Buffered UTF-8 output of one JSON object per line. Synchronised so that records and alerts sharing one
 * stream (both on stdout) never interleave inside a line. Closing leaves a borrowed stream (stdout) open.
 * Lines arrive either as Strings (alerts) or as ready UTF-8 bytes (records, see {@code RecordLine}); both land in
 * one byte buffer that goes to the stream in large writes.
 */
public final class JsonLineWriter implements AutoCloseable {
    private static final int BUFFER_BYTES = 256 * 1024;

    private final OutputStream stream;
    private final boolean owned;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int buffered;
    private long lines;

    public JsonLineWriter(OutputStream stream, boolean owned) {
        this.stream = stream;
        this.owned = owned;
    }

    public void writeLine(String json) {
        byte[] bytes = (json + "\n").getBytes(StandardCharsets.UTF_8);
        writeLine(bytes, 0, bytes.length);
    }

    /** One line already encoded, its newline included. */
    public synchronized void writeLine(byte[] line, int offset, int length) {
        try {
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
