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
 * Over a {@link RollingLineFile} it rolls over and reopens only between two lines, so no line is cut.
 */
public final class JsonLineWriter implements AutoCloseable {
    private static final int BUFFER_BYTES = 64 * 1024;

    private final boolean owned;
    private final RollingLineFile file;
    private OutputStream stream;
    private Writer out;
    private long lines;
    /** Characters written to the active file: its size in bytes for ASCII JSON, an estimate otherwise. */
    private long activeBytes;

    public JsonLineWriter(OutputStream stream, boolean owned) {
        this.owned = owned;
        this.file = null;
        use(stream);
    }

    /** Appends to a file that rolls over by its rotation and can be reopened ({@link #reopen()}). */
    public JsonLineWriter(RollingLineFile file) throws IOException {
        this.owned = true;
        this.file = file;
        use(file.open());
        activeBytes = file.activeSize();
    }

    private void use(OutputStream s) {
        stream = s;
        out = new BufferedWriter(new OutputStreamWriter(s, StandardCharsets.UTF_8), BUFFER_BYTES);
    }

    public synchronized void writeLine(String json) {
        try {
            if (file != null && file.rollDue(activeBytes, json.length() + 1)) {
                closeStream();
                file.rollOver();
                use(file.open());
                activeBytes = 0;
            }
            out.write(json);
            out.write('\n');
            lines++;
            activeBytes += json.length() + 1;
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
            use(file.open());
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
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void closeStream() throws IOException {
        out.flush();
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
