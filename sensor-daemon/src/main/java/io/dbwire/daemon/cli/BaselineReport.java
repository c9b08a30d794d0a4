package io.dbwire.daemon.cli;

import io.dbwire.core.detect.baseline.EntityKeys;
import io.dbwire.core.detect.state.DetectionSnapshot;
import io.dbwire.core.util.Timestamps;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the sensor has learnt, as text, from a {@link DetectionSnapshot}: per detector, per entity, how long it was
 * learnt and its figures (series as count, median and max; times as ISO-8601). Generic over the snapshot's trees,
 * so a detector that adds state is shown without changes here. Entities are filtered by substrings of their text
 * form (e.g. {@code client=10.1.0.21}, {@code user=export}, a fingerprint).
 */
final class BaselineReport {
    /** Keys whose numbers are packet times in microseconds. */
    private static final List<String> TIME_KEYS = List.of("first_seen", "last_seen", "start", "last", "day_start");
    private final PrintStream out;
    private final List<String> filters;
    private int shown;

    BaselineReport(PrintStream out, List<String> filters) {
        this.out = out;
        this.filters = filters;
    }

    /** Prints the report; returns the number of entities shown. */
    int print(DetectionSnapshot s) {
        out.println("snapshot taken at " + time(s.savedAtMicros()) + " (packet time); learning since "
                + time(s.firstRecordMicros()) + " (" + duration(s.savedAtMicros() - s.firstRecordMicros()) + ")");
        for (Map.Entry<String, Object> d : s.detectors().entrySet()) {
            out.println();
            out.println(d.getKey() + ":");
            detector(d.getValue(), s.savedAtMicros());
        }
        return shown;
    }

    private void detector(Object tree, long savedAt) {
        if (tree instanceof List) {
            entities((List<?>) tree, savedAt, "  ");
        } else if (tree instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) tree).entrySet()) {
                if (e.getValue() instanceof List && isEntityList((List<?>) e.getValue())) {
                    out.println("  " + e.getKey() + ":");
                    entities((List<?>) e.getValue(), savedAt, "    ");
                } else if (filters.isEmpty() || isMapList(e.getValue())) {
                    value("  ", String.valueOf(e.getKey()), e.getValue(), savedAt);
                }
            }
        }
    }

    private static boolean isMapList(Object v) {
        return v instanceof List && !((List<?>) v).isEmpty() && ((List<?>) v).get(0) instanceof Map;
    }

    private static boolean isEntityList(List<?> l) {
        return !l.isEmpty() && l.get(0) instanceof Map && ((Map<?, ?>) l.get(0)).containsKey("key");
    }

    private void entities(List<?> list, long savedAt, String indent) {
        if (!isEntityList(list)) {
            if (filters.isEmpty()) {
                out.println(indent + summary(list));
            }
            return;
        }
        int count = 0;
        for (Object o : list) {
            Map<?, ?> m = (Map<?, ?>) o;
            String id = entityId(m.get("key"));
            if (!matches(id)) {
                continue;
            }
            count++;
            shown++;
            Object first = firstSeen(m);
            out.println(indent + id + (first instanceof Number
                    ? "  learnt for " + duration(savedAt - ((Number) first).longValue()) : ""));
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!"key".equals(e.getKey())) {
                    value(indent + "  ", String.valueOf(e.getKey()), e.getValue(), savedAt);
                }
            }
        }
        if (count == 0 && filters.isEmpty()) {
            out.println(indent + "(nothing)");
        }
    }

    private static Object firstSeen(Map<?, ?> m) {
        Object f = m.get("first_seen");
        if (f == null && m.get("baseline") instanceof Map) {
            f = ((Map<?, ?>) m.get("baseline")).get("first_seen");
        }
        return f;
    }

    private boolean matches(String id) {
        if (filters.isEmpty()) {
            return true;
        }
        for (String f : filters) {
            if (id.contains(f)) {
                return true;
            }
        }
        return false;
    }

    /** The entity text of a tree that is an entity key, else null. */
    private static String keyText(Object tree) {
        try {
            return EntityKeys.fromTree(tree).id();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String entityId(Object key) {
        try {
            return EntityKeys.fromTree(key).id();
        } catch (RuntimeException e) {
            return String.valueOf(key); // a key kind this version does not know
        }
    }

    private void value(String indent, String name, Object v, long savedAt) {
        if (v instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) v;
            if (m.isEmpty()) {
                return;
            }
            out.println(indent + name + ":");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                value(indent + "  ", String.valueOf(e.getKey()), e.getValue(), savedAt);
            }
        } else if (v instanceof List) {
            List<?> l = (List<?>) v;
            if (isEntityList(l)) {
                out.println(indent + name + ":");
                entities(l, savedAt, indent + "  ");
            } else if (!l.isEmpty() && l.get(0) instanceof Map) {
                out.println(indent + name + ": " + l.size());
                for (Object o : l) {
                    String key = keyText(o); // a list of entities (known clients…) is filtered like entities
                    if (key == null || matches(key)) {
                        out.println(indent + "  - " + (key == null ? inline((Map<?, ?>) o) : key));
                    }
                }
            } else {
                out.println(indent + name + ": " + summary(l));
            }
        } else if (v instanceof Number && TIME_KEYS.contains(name)) {
            out.println(indent + name + ": " + time(((Number) v).longValue()));
        } else {
            out.println(indent + name + ": " + number(v));
        }
    }

    private static String inline(Map<?, ?> m) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            Object v = e.getValue();
            String text = v instanceof Number && TIME_KEYS.contains(String.valueOf(e.getKey()))
                    ? time(((Number) v).longValue()) : v instanceof List ? String.valueOf(v) : number(v);
            b.append(b.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(text);
        }
        return b.toString();
    }

    /** A numeric series as {@code n values, median m, max x}; other lists as they are. */
    static String summary(List<?> l) {
        if (l.isEmpty()) {
            return "none";
        }
        if (!(l.get(0) instanceof Number)) {
            return l.size() + ": " + l;
        }
        double[] v = new double[l.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((Number) l.get(i)).doubleValue();
        }
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return v.length + " values, median " + number(median) + ", max " + number(sorted[sorted.length - 1])
                + ", last " + number(v[v.length - 1]);
    }

    private static String number(Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d)
                    : String.format(Locale.ROOT, "%.1f", d);
        }
        return String.valueOf(v);
    }

    static String time(long micros) {
        return micros == Long.MIN_VALUE ? "never" : Timestamps.formatMicros(micros);
    }

    /** e.g. {@code 2d 3h 5m}, {@code 45m}, {@code 12s}. */
    static String duration(long micros) {
        if (micros < 0) {
            return "unknown";
        }
        long s = micros / 1_000_000L;
        long d = s / 86_400;
        long h = s % 86_400 / 3_600;
        long m = s % 3_600 / 60;
        if (d > 0) {
            return d + "d " + h + "h " + m + "m";
        }
        if (h > 0) {
            return h + "h " + m + "m";
        }
        return m > 0 ? m + "m " + s % 60 + "s" : s + "s";
    }
}
