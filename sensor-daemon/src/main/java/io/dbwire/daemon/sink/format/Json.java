package io.dbwire.daemon.sink.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** Small helpers for the renderers: nulls are left out, maps and lists copied as they are. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static String text(ObjectNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serialises", e);
        }
    }

    static void put(ObjectNode n, String key, String value) {
        if (value != null) {
            n.put(key, value);
        }
    }

    static void put(ObjectNode n, String key, Long value) {
        if (value != null) {
            n.put(key, value);
        }
    }

    static void putMap(ObjectNode n, String key, Map<String, Object> map) {
        n.set(key, MAPPER.valueToTree(map));
    }

    static ArrayNode strings(List<String> values) {
        ArrayNode a = MAPPER.createArrayNode();
        values.forEach(a::add);
        return a;
    }

    static ArrayNode longs(List<Long> values) {
        ArrayNode a = MAPPER.createArrayNode();
        values.forEach(a::add);
        return a;
    }

    /** An {@code {ip, port}} endpoint, or null. */
    static ObjectNode endpoint(String ip, Integer port) {
        if (ip == null) {
            return null;
        }
        ObjectNode e = object();
        e.put("ip", ip);
        if (port != null) {
            e.put("port", port);
        }
        return e;
    }

    static void setIfPresent(ObjectNode n, String key, ObjectNode value) {
        if (value != null) {
            n.set(key, value);
        }
    }
}
