package io.dbwire.daemon.sink.syslog;

import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.util.Timestamps;
import java.nio.charset.StandardCharsets;

/**
 * One alert as an RFC 5424 syslog message (https://www.rfc-editor.org/rfc/rfc5424#section-6):
 * <pre>
 * &lt;PRI&gt;1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG
 * &lt;107&gt;1 2026-11-26T14:00:00.123456Z sensor-a dbwire - auth_bruteforce - {"ts":...}
 * </pre>
 * Facility 13 (log audit); severity from the alert's. TIMESTAMP is the alert's packet time (six fraction digits,
 * the most RFC 5424 allows); HOSTNAME the sensor name; MSGID the detection; no structured data; MSG the rendered
 * alert as UTF-8 without a BOM.
 */
final class Rfc5424 {
    static final int FACILITY_LOG_AUDIT = 13;
    /** RFC 5424 section 6: HOSTNAME at most 255, APP-NAME 48, MSGID 32 printable US-ASCII characters. */
    private static final int MAX_HOSTNAME = 255;
    private static final int MAX_MSGID = 32;

    private Rfc5424() {}

    static byte[] message(Alert alert, String hostname, String appName, String body) {
        String header = "<" + (FACILITY_LOG_AUDIT * 8 + severity(alert.severity())) + ">1 "
                + Timestamps.formatMicros(alert.tsMicros()) + ' '
                + field(hostname, MAX_HOSTNAME) + ' '
                + field(appName, 48) + " - "
                + field(alert.detection(), MAX_MSGID) + " - ";
        return (header + body).getBytes(StandardCharsets.UTF_8);
    }

    /** RFC 5424 severities: 2 critical, 3 error, 4 warning, 5 notice, 6 informational. */
    static int severity(Severity s) {
        if (s == null) {
            return 5;
        }
        switch (s) {
            case CRITICAL:
                return 2;
            case HIGH:
                return 3;
            case MEDIUM:
                return 4;
            case LOW:
                return 5;
            default:
                return 6;
        }
    }

    /** Printable US-ASCII without space, cut to {@code max}; "-" (NILVALUE) when nothing is left. */
    static String field(String s, int max) {
        if (s == null) {
            return "-";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(c > 32 && c < 127 ? c : '_');
        }
        return b.length() == 0 ? "-" : b.toString();
    }
}
