package io.dbwire.daemon.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Whole lines of an append-only spool file (the alert file's spool and Kafka's): read back, torn end cut. */
public final class SpoolLines {
    /** Bytes read per call; a spooled alert line is far shorter. */
    private static final int READ_BYTES = 1 << 20;

    /** One line without its newline; {@code end} is the file offset just after that newline. */
    public record Line(String text, long end) {}

    private SpoolLines() {}

    /** Up to {@code max} whole lines from offset {@code from} on, oldest first; a torn last line is not returned. */
    public static List<Line> read(FileChannel file, long from, int max) throws IOException {
        List<Line> out = new ArrayList<>();
        long size = file.size();
        if (from >= size) {
            return out;
        }
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(READ_BYTES, size - from));
        while (b.hasRemaining() && file.read(b, from + b.position()) > 0) {
            // fill
        }
        byte[] bytes = b.array();
        int lineStart = 0;
        for (int i = 0; i < b.position() && out.size() < max; i++) {
            if (bytes[i] == '\n') {
                out.add(new Line(new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8), from + i + 1));
                lineStart = i + 1;
            }
        }
        return out;
    }

    /** Cuts a torn last line (a crash while appending) off the end of the file. */
    public static void cutTornLine(FileChannel file) throws IOException {
        long size = file.size();
        long keep = size;
        ByteBuffer one = ByteBuffer.allocate(1);
        while (keep > 0) {
            one.clear();
            file.read(one, keep - 1);
            if (one.get(0) == '\n') {
                break;
            }
            keep--;
        }
        if (keep < size) {
            file.truncate(keep);
        }
    }
}
