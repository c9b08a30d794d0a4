package io.dbwire.daemon.sink;

import io.dbwire.core.record.TransactionRecord;

/** One rendering of a record (docs/records.md JSON, OCSF, OpenTelemetry names): one JSON object, no line break. */
@FunctionalInterface
public interface RecordFormatter {
    String format(TransactionRecord record);
}
