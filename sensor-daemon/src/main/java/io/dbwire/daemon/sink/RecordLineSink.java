package io.dbwire.daemon.sink;

import io.dbwire.core.record.RecordJson;
import io.dbwire.core.record.RecordSink;
import io.dbwire.core.record.TransactionRecord;

/** Records as JSON lines (docs/records.md form); records carry a {@code "kind"} key, alerts a {@code "detection"}. */
public final class RecordLineSink implements RecordSink {
    private final JsonLineWriter out;

    public RecordLineSink(JsonLineWriter out) {
        this.out = out;
    }

    @Override
    public void accept(TransactionRecord record) {
        out.writeLine(RecordJson.toJson(record));
    }
}
