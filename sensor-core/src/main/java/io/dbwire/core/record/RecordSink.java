package io.dbwire.core.record;

/** Receives records as the protocol layer completes them, in packet-time order per connection. */
@FunctionalInterface
public interface RecordSink {
    void accept(TransactionRecord record);
}
