package io.dbwire.core.protocol.attribution;

/**
 * The W3C Trace Context {@code traceparent} value: {@code version-traceid-parentid-flags}, e.g.
 * {@code 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01}, lower-case hex only.
 * https://www.w3.org/TR/trace-context/#traceparent-header — version {@code ff} and all-zero trace or parent ids
 * are invalid. Found anywhere in a comment, delimited by characters that are not letters or digits.
 */
final class TraceParent {
    static final int LENGTH = 55;
    private static final int TRACE_ID = 3;
    private static final int SPAN_ID = 36;

    private TraceParent() {}

    /** Start of the first valid traceparent in {@code s[from, to)}, or -1. */
    static int find(CharSequence s, int from, int to) {
        for (int i = from; i + LENGTH <= to; i++) {
            if (s.charAt(i + 2) == '-' && s.charAt(i + 35) == '-' && s.charAt(i + 52) == '-'
                    && (i == from || !Character.isLetterOrDigit(s.charAt(i - 1)))
                    && (i + LENGTH == to || !Character.isLetterOrDigit(s.charAt(i + LENGTH)))
                    && valid(s, i)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code s} is exactly one traceparent. */
    static boolean isTraceParent(String s) {
        return s.length() == LENGTH && find(s, 0, LENGTH) == 0;
    }

    static String traceId(CharSequence s, int at) {
        return s.subSequence(at + TRACE_ID, at + TRACE_ID + 32).toString();
    }

    static String spanId(CharSequence s, int at) {
        return s.subSequence(at + SPAN_ID, at + SPAN_ID + 16).toString();
    }

    private static boolean valid(CharSequence s, int at) {
        return hex(s, at, 2) && !(s.charAt(at) == 'f' && s.charAt(at + 1) == 'f')
                && hex(s, at + TRACE_ID, 32) && !zeros(s, at + TRACE_ID, 32)
                && hex(s, at + SPAN_ID, 16) && !zeros(s, at + SPAN_ID, 16)
                && hex(s, at + 53, 2);
    }

    private static boolean hex(CharSequence s, int from, int n) {
        for (int i = from; i < from + n; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean zeros(CharSequence s, int from, int n) {
        for (int i = from; i < from + n; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
