package io.dbwire.daemon.sink.format;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.util.Timestamps;
import io.dbwire.daemon.sink.RecordFormatter;

/**
 * A record as one flat JSON object whose keys are OpenTelemetry semantic-convention attribute names (database,
 * server, client, network), so queries written for OTel database spans or logs apply. dbwire's own fields keep
 * a {@code dbwire.} prefix. Mapping in docs/records.md.
 */
public final class RecordOtel implements RecordFormatter {
    private final String sensor;

    public RecordOtel(String sensor) {
        this.sensor = sensor;
    }

    @Override
    public String format(TransactionRecord r) {
        ObjectNode n = Json.object();
        n.put("timestamp", Timestamps.formatMicros(r.tsMicros()));
        n.put("db.system.name", r.protocol());
        Json.put(n, "db.namespace", r.session().database());
        if (r.statement() != null) {
            Json.put(n, "db.query.text", r.statement().text());
            Json.put(n, "db.operation.name", r.statement().operation());
        }
        if (r.error() != null) {
            Json.put(n, "db.response.status_code", r.error().code());
            Json.put(n, "error.type", r.error().code());
        }
        if (r.response() != null) {
            Json.put(n, "db.response.returned_rows", r.response().rows());
        }
        n.put("server.address", r.server().ip());
        n.put("server.port", r.server().port());
        n.put("client.address", r.client().ip());
        n.put("client.port", r.client().port());
        n.put("network.transport", "tcp");
        Json.put(n, "user.name", r.session().user());
        n.put("dbwire.sensor", sensor);
        n.put("dbwire.kind", r.kind().json());
        n.put("dbwire.connection_id", r.connectionId());
        n.put("dbwire.status", r.status().json());
        if (r.status() == RecordStatus.ERROR && r.error() != null) {
            Json.put(n, "dbwire.error.message", r.error().message());
        }
        if (r.statement() != null) {
            Json.put(n, "dbwire.statement.fingerprint", r.statement().fingerprint());
        }
        if (r.response() != null) {
            Json.put(n, "dbwire.duration_us", r.response().durationUs());
            Json.put(n, "dbwire.rows_affected", r.response().rowsAffected());
        }
        if (r.gaps() != null) { // only on a record a hole cut short, as in the record JSON
            n.put("dbwire.gaps.client_bytes", r.gaps().clientBytes());
            n.put("dbwire.gaps.server_bytes", r.gaps().serverBytes());
        }
        Json.put(n, "network.community_id", CommunityId.tcp(r.client().ip(), r.client().port(), r.server().ip(),
                r.server().port()));
        return Json.text(n);
    }
}
