package io.dbwire.daemon.sink;

import io.dbwire.core.record.RecordLine;
import io.dbwire.core.record.RecordSink;
import io.dbwire.core.record.TransactionRecord;

/**
 * Records as JSON lines (docs/records.md form); records carry a {@code "kind"} key, alerts a {@code "detection"}.
 * Encoded straight to UTF-8 bytes; each shard thread that shares this sink gets its own encoder.
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
        out.writeLine(line.array(), 0, line.length());
    }
}
