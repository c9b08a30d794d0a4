package io.dbwire.daemon.sink;

import io.dbwire.core.record.RecordLine;
import io.dbwire.core.record.RecordSink;
import io.dbwire.core.record.TransactionRecord;
import java.io.UncheckedIOException;

/**
 * Records as JSON lines (docs/records.md form); records carry a {@code "kind"} key, alerts a {@code "detection"}.
 * Encoded straight to UTF-8 bytes; each shard thread that shares this sink gets its own encoder. A failed write
 * is the writer's to count and report ({@link JsonLineWriter#failure()}); the record is dropped.
 */
public final class RecordLineSink implements RecordSink {
    private final JsonLineWriter out;
    private final ThreadLocal<RecordLine> encoder = ThreadLocal.withInitial(RecordLine::new);
    /**
     * The first thread to write has its encoder in a field: a thread-local look-up per record was 5 % of the
     * record path with one pipeline thread (the common case). Other threads use {@link #encoder}.
     */
    private volatile Thread owner;
    private RecordLine ownerLine;

    public RecordLineSink(JsonLineWriter out) {
        this.out = out;
    }

    @Override
    public void accept(TransactionRecord record) {
        Thread current = Thread.currentThread();
        RecordLine line = current == owner ? ownerLine : encoderOf(current);
        line.encode(record);
        try {
            out.writeLine(line.array(), 0, line.length());
        } catch (UncheckedIOException e) {
            // Counted by the writer (droppedLines, failure); throwing into the engine would count it as a parser bug.
        }
    }

    private RecordLine encoderOf(Thread current) {
        synchronized (this) {
            if (owner == null) {
                ownerLine = new RecordLine(); // read only by the owner, which wrote it
                owner = current;
                return ownerLine;
            }
        }
        return encoder.get();
    }
}
