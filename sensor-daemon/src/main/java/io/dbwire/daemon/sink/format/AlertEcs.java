package io.dbwire.daemon.sink.format;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.util.Timestamps;
import io.dbwire.daemon.sink.AlertFormatter;

/**
 * An alert as an Elastic Common Schema document (event.kind {@code alert}), for Elasticsearch and SIEMs that read
 * ECS. The mapping table is in docs/alerts.md; what ECS has no field for goes under {@code dbwire.*}.
 */
public final class AlertEcs implements AlertFormatter {
    static final String ECS_VERSION = "8.11.0";

    private final String sensor;
    private final String version;

    public AlertEcs(String sensor, String version) {
        this.sensor = sensor;
        this.version = version;
    }

    @Override
    public String format(Alert a) {
        ObjectNode n = Json.object();
        n.put("@timestamp", Timestamps.formatMicros(a.tsMicros()));
        ObjectNode ecs = Json.object();
        ecs.put("version", ECS_VERSION);
        n.set("ecs", ecs);
        Json.put(n, "message", a.summary());

        ObjectNode event = Json.object();
        event.put("kind", "alert");
        event.set("category", Json.strings(java.util.List.of("database", "intrusion_detection")));
        event.set("type", Json.strings(java.util.List.of("info")));
        event.put("id", a.id());
        event.put("action", a.detection());
        event.put("module", "dbwire");
        event.put("dataset", "dbwire.alert");
        event.put("severity", severity(a.severity()));
        if (Double.isFinite(a.score())) {
            event.put("risk_score", a.score());
        }
        event.put("start", Timestamps.formatMicros(a.windowStartMicros()));
        event.put("end", Timestamps.formatMicros(a.windowEndMicros()));
        Json.put(event, "reason", a.summary());
        n.set("event", event);

        ObjectNode rule = Json.object();
        rule.put("id", a.detection());
        rule.put("name", a.detection());
        rule.put("ruleset", "dbwire");
        n.set("rule", rule);
        if (a.mitre() != null) {
            ObjectNode technique = Json.object();
            technique.set("id", Json.strings(java.util.List.of(a.mitre())));
            ObjectNode threat = Json.object();
            threat.put("framework", "MITRE ATT&CK");
            threat.set("technique", technique);
            n.set("threat", threat);
        }
        Json.setIfPresent(n, "source", Json.endpoint(a.clientIp(), AlertFlow.clientPort(a)));
        if (a.server() != null) {
            n.set("destination", Json.endpoint(a.server().ip(), a.server().port()));
        }
        if (a.user() != null) {
            ObjectNode user = Json.object();
            user.put("name", a.user());
            n.set("user", user);
        }
        ObjectNode network = Json.object();
        network.put("transport", "tcp");
        Json.put(network, "community_id", AlertFlow.communityId(a));
        n.set("network", network);

        ObjectNode observer = Json.object();
        observer.put("name", sensor);
        observer.put("hostname", sensor);
        observer.put("type", "sensor");
        observer.put("vendor", "dbwire");
        observer.put("product", "dbwire");
        observer.put("version", version);
        n.set("observer", observer);

        ObjectNode d = Json.object();
        Json.put(d, "database", a.database());
        Json.putMap(d, "observed", a.observed());
        Json.putMap(d, "baseline", a.baseline());
        d.set("evidence", Json.strings(a.evidence()));
        d.set("connection_ids", Json.longs(a.connectionIds()));
        d.put("folded", a.folded());
        AlertExplanation.putInto(d, a.explanation());
        n.set("dbwire", d);
        return Json.text(n);
    }

    /** event.severity on the 0..100 scale Elastic's detection rules use: 21 low, 47 medium, 73 high, 99 critical. */
    static int severity(Severity s) {
        if (s == null) {
            return 0;
        }
        switch (s) {
            case CRITICAL:
                return 99;
            case HIGH:
                return 73;
            case MEDIUM:
                return 47;
            case LOW:
                return 21;
            default:
                return 1;
        }
    }
}
