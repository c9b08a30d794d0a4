package io.dbwire.daemon.sink;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Buffered UTF-8 output of one JSON object per line. Synchronised so that records and alerts sharing one
 * stream (both on stdout) never interleave inside a line. Closing leaves a borrowed stream (stdout) open.
 */
public final class JsonLineWriter implements AutoCloseable {
    private static final int BUFFER_BYTES = 64 * 1024;

    private final Writer out;
    private final OutputStream stream;
    private final boolean owned;
    private long lines;

    public JsonLineWriter(OutputStream stream, boolean owned) {
        this.stream = stream;
        this.owned = owned;
        this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), BUFFER_BYTES);
    }

    public synchronized void writeLine(String json) {
        try {
            out.write(json);
            out.write('\n');
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
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
