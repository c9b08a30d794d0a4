package io.dbwire.daemon.sink.format;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.daemon.sink.RecordFormatter;

/**
 * A record as an OCSF 1.3.0 Datastore Activity event (class_uid 6005, category Application Activity): the class AWS
 * Security Lake and Database Activity Streams pipelines use for database access. Mapping in docs/records.md; what
 * OCSF has no place for goes under {@code unmapped.dbwire}.
 */
public final class RecordOcsf implements RecordFormatter {
    private final String sensor;
    private final String version;

    public RecordOcsf(String sensor, String version) {
        this.sensor = sensor;
        this.version = version;
    }

    @Override
    public String format(TransactionRecord r) {
        int activity = activityId(r);
        ObjectNode n = Json.object();
        n.put("class_uid", 6005);
        n.put("class_name", "Datastore Activity");
        n.put("category_uid", 6);
        n.put("category_name", "Application Activity");
        n.put("activity_id", activity);
        n.put("activity_name", activityName(r, activity));
        n.put("type_uid", 600500 + activity);
        n.put("time", r.tsMicros() / 1000);
        n.put("severity_id", 1);
        n.put("severity", "Informational");
        n.put("status_id", r.status() == RecordStatus.OK ? 1 : r.status() == RecordStatus.ERROR ? 2 : 0);
        n.put("status", r.status() == RecordStatus.OK ? "Success" : r.status() == RecordStatus.ERROR ? "Failure"
                : "Unknown");
        if (r.error() != null) {
            Json.put(n, "status_code", r.error().code());
            Json.put(n, "status_detail", r.error().message());
        }
        if (r.response() != null && r.response().durationUs() != null) {
            n.put("duration", r.response().durationUs() / 1000);
        }
        n.put("type_id", 1);
        n.put("type", "Database");
        n.set("metadata", AlertOcsf.metadata(sensor, version));
        ObjectNode actor = Json.object();
        if (r.session().user() != null) {
            ObjectNode user = Json.object();
            user.put("name", r.session().user());
            actor.set("user", user);
        }
        Json.put(actor, "app_name", r.session().application());
        n.set("actor", actor);
        n.set("src_endpoint", Json.endpoint(r.client().ip(), r.client().port()));
        n.set("dst_endpoint", Json.endpoint(r.server().ip(), r.server().port()));
        if (r.session().database() != null) {
            n.set("database", database(r.session().database()));
        }
        if (r.statement() != null) {
            ObjectNode q = Json.object();
            q.put("query_string", r.statement().text() == null ? "" : r.statement().text());
            q.put("uid", r.statement().fingerprint());
            if (r.response() != null) {
                q.put("bytes", r.response().bytes());
            }
            n.set("query_info", q);
        }
        n.set("unmapped", unmapped(r));
        return Json.text(n);
    }

    static ObjectNode database(String name) {
        ObjectNode d = Json.object();
        d.put("name", name);
        d.put("type_id", 1);
        d.put("type", "Relational");
        return d;
    }

    /**
     * 3 Connect (login), for statements by verb: 4 Query (SELECT and other reads), 5 Write (INSERT, COPY),
     * 2 Update, 7 Delete (DELETE, TRUNCATE, DROP), 6 Create; 99 Other for the rest (named in activity_name).
     */
    static int activityId(TransactionRecord r) {
        if (r.kind() == RecordKind.LOGIN) {
            return 3;
        }
        if (r.kind() != RecordKind.STATEMENT || r.statement() == null || r.statement().operation() == null) {
            return 99;
        }
        switch (r.statement().operation()) {
            case "SELECT":
            case "SHOW":
            case "WITH":
            case "TABLE":
            case "EXPLAIN":
                return 4;
            case "INSERT":
            case "COPY":
            case "REPLACE":
            case "LOAD":
                return 5;
            case "UPDATE":
                return 2;
            case "DELETE":
            case "TRUNCATE":
            case "DROP":
                return 7;
            case "CREATE":
                return 6;
            default:
                return 99;
        }
    }

    private static String activityName(TransactionRecord r, int activity) {
        switch (activity) {
            case 2: return "Update";
            case 3: return "Connect";
            case 4: return "Query";
            case 5: return "Write";
            case 6: return "Create";
            case 7: return "Delete";
            default:
                return r.statement() != null && r.statement().operation() != null
                        ? r.statement().operation() : r.kind().json();
        }
    }

    private ObjectNode unmapped(TransactionRecord r) {
        ObjectNode d = Json.object();
        d.put("sensor", sensor);
        d.put("kind", r.kind().json());
        d.put("protocol", r.protocol());
        d.put("connection_id", r.connectionId());
        if (r.vni() >= 0) {
            d.put("vni", r.vni());
        }
        Json.put(d, "community_id", CommunityId.tcp(r.client().ip(), r.client().port(), r.server().ip(),
                r.server().port()));
        d.put("tls", r.session().tls());
        if (r.statement() != null) {
            Json.put(d, "operation", r.statement().operation());
        }
        if (r.response() != null) {
            Json.put(d, "rows", r.response().rows());
            Json.put(d, "rows_affected", r.response().rowsAffected());
            Json.put(d, "duration_us", r.response().durationUs());
        }
        if (r.gaps() != null) { // only on a record a hole cut short, as in the record JSON
            ObjectNode g = Json.object();
            g.put("client_bytes", r.gaps().clientBytes());
            g.put("server_bytes", r.gaps().serverBytes());
            d.set("gaps", g);
        }
        ObjectNode u = Json.object();
        u.set("dbwire", d);
        return u;
    }
}
