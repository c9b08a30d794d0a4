package io.dbwire.daemon.sink.kafka;

import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.record.Endpoint;
import io.dbwire.core.record.TransactionRecord;

/**
 * Message keys, which decide the partition: all records of one server (or one connection) land in one partition in
 * order, and every alert of one detection for one entity does too (so a compacted or keyed consumer sees them
 * together).
 */
final class KafkaKeys {
    private KafkaKeys() {}

    /** {@code ip:port} of the server; with {@code byConnection}, {@code ip:port/connection_id}. */
    static String record(TransactionRecord r, boolean byConnection) {
        String server = endpoint(r.server());
        return byConnection ? server + "/" + r.connectionId() : server;
    }

    /** {@code detection|client|server|user}, absent parts empty: the fields an alert's entity is made of. */
    static String alert(Alert a) {
        return a.detection() + '|' + nonNull(a.clientIp()) + '|' + (a.server() == null ? "" : endpoint(a.server()))
                + '|' + nonNull(a.user());
    }

    private static String endpoint(Endpoint e) {
        return e.ip() + ":" + e.port();
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
