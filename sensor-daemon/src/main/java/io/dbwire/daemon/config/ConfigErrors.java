package io.dbwire.daemon.config;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** Turns a Jackson binding failure into {@code key: value (expected: ...)}, the one form every config error takes. */
final class ConfigErrors {
    private ConfigErrors() {}

    static ConfigException from(JsonMappingException e, JsonNode merged) {
        String key = keyOf(e.getPath());
        if (e instanceof UnrecognizedPropertyException u) {
            return new ConfigException(key + ": unknown key (expected one of: " + known(u.getKnownPropertyIds()) + ")");
        }
        JsonNode value = at(merged, e.getPath());
        String shown = value == null || value.isMissingNode() ? "?" : value.isTextual() ? value.asText() : value.toString();
        return new ConfigException(key + ": " + shown + " (expected: " + expected(e) + ")");
    }

    static String keyOf(List<JsonMappingException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "(top level)" : sb.toString();
    }

    private static JsonNode at(JsonNode root, List<JsonMappingException.Reference> path) {
        JsonNode n = root;
        for (JsonMappingException.Reference r : path) {
            if (n == null) {
                return null;
            }
            n = r.getFieldName() != null ? n.get(r.getFieldName()) : n.get(r.getIndex());
        }
        return n;
    }

    private static String known(Collection<Object> ids) {
        TreeSet<String> names = new TreeSet<>();
        ids.forEach(id -> names.add(String.valueOf(id)));
        return String.join(", ", names);
    }

    private static String expected(JsonMappingException e) {
        Class<?> t = e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m ? m.getTargetType() : null;
        if (t == null) {
            return "a valid value";
        }
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
            return "an integer";
        }
        if (t == Boolean.class || t == boolean.class) {
            return "true or false";
        }
        if (t == String.class) {
            return "a string";
        }
        if (t == Duration.class) {
            return DurationText.EXPECTED;
        }
        if (List.class.isAssignableFrom(t)) {
            return "a list";
        }
        return "a mapping";
    }
}
