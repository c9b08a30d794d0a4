package io.dbwire.daemon.sink.format;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.daemon.sink.AlertFormatter;
import java.util.Set;

/**
 * An alert as an OCSF 1.3.0 Detection Finding (class_uid 2004, category Findings), e.g. for AWS Security Lake.
 * The mapping table is in docs/alerts.md; what OCSF has no place for goes under {@code unmapped.dbwire}.
 */
public final class AlertOcsf implements AlertFormatter {
    static final String OCSF_VERSION = "1.3.0";
    /** Detections that apply a fixed rule rather than compare with a learned baseline. */
    private static final Set<String> RULE_DETECTIONS = Set.of("risky_statement", "auth_bruteforce", "tls_downgrade");

    private final String sensor;
    private final String version;

    public AlertOcsf(String sensor, String version) {
        this.sensor = sensor;
        this.version = version;
    }

    @Override
    public String format(Alert a) {
        ObjectNode n = Json.object();
        n.put("class_uid", 2004);
        n.put("class_name", "Detection Finding");
        n.put("category_uid", 2);
        n.put("category_name", "Findings");
        n.put("activity_id", 1);
        n.put("activity_name", "Create");
        n.put("type_uid", 200401);
        n.put("type_name", "Detection Finding: Create");
        n.put("time", a.tsMicros() / 1000);
        n.put("start_time", a.windowStartMicros() / 1000);
        n.put("end_time", a.windowEndMicros() / 1000);
        n.put("severity_id", severityId(a.severity()));
        n.put("severity", severityName(a.severity()));
        n.put("status_id", 1);
        n.put("status", "New");
        Json.put(n, "message", a.summary());
        n.put("count", a.folded() + 1);
        if (Double.isFinite(a.score())) {
            n.put("risk_score", Math.round(a.score()));
        }
        n.set("metadata", metadata(sensor, version));
        n.set("finding_info", findingInfo(a));
        n.set("evidences", evidences(a));
        n.set("observables", observables(a));
        ObjectNode device = Json.object();
        device.put("hostname", sensor);
        device.put("type_id", 0);
        n.set("device", device);
        n.set("unmapped", unmapped(a));
        return Json.text(n);
    }

    static ObjectNode metadata(String sensor, String version) {
        ObjectNode m = Json.object();
        m.put("version", OCSF_VERSION);
        ObjectNode product = Json.object();
        product.put("name", "dbwire");
        product.put("vendor_name", "dbwire");
        product.put("version", version);
        m.set("product", product);
        m.put("log_name", sensor);
        return m;
    }

    private static ObjectNode findingInfo(Alert a) {
        ObjectNode f = Json.object();
        f.put("uid", a.id());
        Json.put(f, "title", a.summary());
        f.set("types", Json.strings(java.util.List.of(a.detection())));
        f.put("first_seen_time", a.windowStartMicros() / 1000);
        f.put("last_seen_time", a.windowEndMicros() / 1000);
        ObjectNode analytic = Json.object();
        analytic.put("uid", a.detection());
        analytic.put("name", a.detection());
        boolean rule = RULE_DETECTIONS.contains(a.detection());
        analytic.put("type_id", rule ? 1 : 3);
        analytic.put("type", rule ? "Rule" : "Statistical");
        f.set("analytic", analytic);
        if (a.mitre() != null) {
            ObjectNode technique = Json.object();
            technique.put("uid", a.mitre());
            ObjectNode attack = Json.object();
            attack.set("technique", technique);
            f.set("attacks", Json.MAPPER.createArrayNode().add(attack));
        }
        return f;
    }

    private static ArrayNode evidences(Alert a) {
        ObjectNode e = Json.object();
        Json.setIfPresent(e, "src_endpoint", Json.endpoint(a.clientIp(), AlertFlow.clientPort(a)));
        if (a.server() != null) {
            e.set("dst_endpoint", Json.endpoint(a.server().ip(), a.server().port()));
        }
        if (a.user() != null) {
            ObjectNode user = Json.object();
            user.put("name", a.user());
            ObjectNode actor = Json.object();
            actor.set("user", user);
            e.set("actor", actor);
        }
        if (a.database() != null) {
            e.set("database", RecordOcsf.database(a.database()));
        }
        String cid = AlertFlow.communityId(a);
        if (cid != null) {
            ObjectNode c = Json.object();
            c.put("community_uid", cid);
            c.put("protocol_num", 6);
            c.put("protocol_name", "tcp");
            e.set("connection_info", c);
        }
        return Json.MAPPER.createArrayNode().add(e);
    }

    private static ArrayNode observables(Alert a) {
        ArrayNode o = Json.MAPPER.createArrayNode();
        if (a.clientIp() != null) {
            o.add(observable("evidences[0].src_endpoint.ip", 2, "IP Address", a.clientIp()));
        }
        if (a.server() != null) {
            o.add(observable("evidences[0].dst_endpoint.ip", 2, "IP Address", a.server().ip()));
        }
        if (a.user() != null) {
            o.add(observable("evidences[0].actor.user.name", 4, "User Name", a.user()));
        }
        return o;
    }

    private static ObjectNode observable(String name, int typeId, String type, String value) {
        ObjectNode n = Json.object();
        n.put("name", name);
        n.put("type_id", typeId);
        n.put("type", type);
        n.put("value", value);
        return n;
    }

    private ObjectNode unmapped(Alert a) {
        ObjectNode d = Json.object();
        d.put("sensor", sensor);
        d.put("detection", a.detection());
        Json.putMap(d, "observed", a.observed());
        Json.putMap(d, "baseline", a.baseline());
        d.set("evidence", Json.strings(a.evidence()));
        d.set("connection_ids", Json.longs(a.connectionIds()));
        AlertExplanation.putInto(d, a.explanation());
        ObjectNode u = Json.object();
        u.set("dbwire", d);
        return u;
    }

    /** OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical. */
    static int severityId(Severity s) {
        return s == null ? 0 : s.ordinal() + 1;
    }

    static String severityName(Severity s) {
        String[] names = {"Informational", "Low", "Medium", "High", "Critical"};
        return s == null ? "Unknown" : names[s.ordinal()];
    }
}
