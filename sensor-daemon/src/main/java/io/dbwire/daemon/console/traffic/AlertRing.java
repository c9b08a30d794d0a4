package io.dbwire.daemon.console.traffic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.AlertJson;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The most recent alerts, at most {@code capacity}, each kept in its documented JSON form (docs/alerts.md, parsed
 * once on arrival), plus counts of every alert by detection and severity since start.
 */
final class AlertRing {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int capacity;
    private final ArrayDeque<JsonNode> recent = new ArrayDeque<>();
    private final Map<String, Long> byDetection = new TreeMap<>();
    private final Map<String, Long> bySeverity = new TreeMap<>();
    private long total;
    private long dropped;

    AlertRing(int capacity) {
        this.capacity = capacity;
    }

    void add(Alert a) {
        total++;
        byDetection.merge(a.detection(), 1L, Long::sum);
        bySeverity.merge(a.severity().json(), 1L, Long::sum);
        if (recent.size() >= capacity) {
            recent.removeFirst();
            dropped++;
        }
        try {
            recent.addLast(JSON.readTree(AlertJson.toJson(a)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("AlertJson wrote invalid JSON", e);
        }
    }

    long total() {
        return total;
    }

    /** Alerts that fell out of the ring (still counted by detection and severity). */
    long dropped() {
        return dropped;
    }

    /** Newest first. */
    ArrayNode toJson(JsonNodeFactory f) {
        ArrayNode out = f.arrayNode();
        for (Iterator<JsonNode> it = recent.descendingIterator(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    ObjectNode countsJson(JsonNodeFactory f) {
        ObjectNode o = f.objectNode();
        o.put("total", total);
        ObjectNode d = o.putObject("by_detection");
        byDetection.forEach(d::put);
        ObjectNode s = o.putObject("by_severity");
        bySeverity.forEach(s::put);
        return o;
    }
}
