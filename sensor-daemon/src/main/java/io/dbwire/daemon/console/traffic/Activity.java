package io.dbwire.daemon.console.traffic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;

/** What one client, user or application did on a server: first and last seen, volume. */
final class Activity {
    private long first = Long.MAX_VALUE;
    private long last = Long.MIN_VALUE;
    private long statements;
    private long errors;
    private long loginFailures;
    private long bytes;

    void observe(TransactionRecord r) {
        first = Math.min(first, r.tsMicros());
        last = Math.max(last, r.tsMicros());
        if (r.kind() == RecordKind.STATEMENT) {
            statements++;
            errors += r.status() == RecordStatus.ERROR ? 1 : 0;
        } else if (r.kind() == RecordKind.LOGIN && r.status() == RecordStatus.ERROR) {
            loginFailures++;
        }
        bytes += (r.request() == null ? 0 : r.request().bytes()) + (r.response() == null ? 0 : r.response().bytes());
    }

    long bytes() {
        return bytes;
    }

    long statements() {
        return statements;
    }

    void writeTo(ObjectNode o) {
        o.put("first_seen_us", first);
        o.put("last_seen_us", last);
        o.put("statements", statements);
        o.put("errors", errors);
        o.put("login_failures", loginFailures);
        o.put("bytes", bytes);
    }
}
