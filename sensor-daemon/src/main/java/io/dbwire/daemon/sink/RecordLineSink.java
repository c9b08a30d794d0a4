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

    public RecordLineSink(JsonLineWriter out) {
        this.out = out;
    }

    @Override
    public void accept(TransactionRecord record) {
        RecordLine line = encoder.get();
        line.encode(record);
        try {
            out.writeLine(line.array(), 0, line.length());
        } catch (UncheckedIOException e) {
            // Counted by the writer (droppedLines, failure); throwing into the engine would count it as a parser bug.
        }
    }
}
