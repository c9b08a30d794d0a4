package io.dbwire.core.detect.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reading a snapshot tree back: JSON gives Integer or Long or Double for numbers and Lists for arrays, so every
 * read goes through these converters. A missing or mistyped value throws {@link BadSnapshot}, which the engine
 * turns into "state not restored" rather than a half-restored detector.
 */
public final class StateTree {
    private StateTree() {}

    /** The snapshot does not have the expected shape. */
    public static final class BadSnapshot extends RuntimeException {
        public BadSnapshot(String message) {
            super(message);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object v, String what) {
        if (v instanceof Map) {
            return (Map<String, Object>) v;
        }
        throw new BadSnapshot(what + ": " + typeOf(v) + " (expected: an object)");
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object v, String what) {
        if (v instanceof List) {
            return (List<Object>) v;
        }
        throw new BadSnapshot(what + ": " + typeOf(v) + " (expected: an array)");
    }

    public static long asLong(Object v, String what) {
        if (v instanceof Number) {
            return ((Number) v).longValue();
        }
        throw new BadSnapshot(what + ": " + typeOf(v) + " (expected: a number)");
    }

    public static double asDouble(Object v, String what) {
        if (v instanceof Number) {
            return ((Number) v).doubleValue();
        }
        throw new BadSnapshot(what + ": " + typeOf(v) + " (expected: a number)");
    }

    /** A string, or null when the value is JSON null. */
    public static String asString(Object v, String what) {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new BadSnapshot(what + ": " + typeOf(v) + " (expected: a string)");
    }

    public static double[] doubles(Object v, String what) {
        List<Object> l = list(v, what);
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = asDouble(l.get(i), what);
        }
        return out;
    }

    public static List<Double> toList(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double d : values) {
            out.add(d);
        }
        return out;
    }

    private static String typeOf(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName();
    }
}
