package io.dbwire.daemon.sink.format;

import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.daemon.sink.AlertFormatter;

/**
 * An alert as an ArcSight Common Event Format line (CEF:0), for SIEMs that parse CEF (ArcSight, QRadar, Sentinel,
 * Splunk's CEF add-on). The mapping is in docs/alerts.md; extension keys are from the CEF dictionary.
 * <pre>
 * CEF:0|dbwire|dbwire sensor|0.1.0|auth_bruteforce|12 failed logins|8|rt=1700000000000 src=10.0.0.9 ...
 * </pre>
 */
public final class AlertCef implements AlertFormatter {
    /** CEF limits custom strings (csN) to 4000 characters; evidence is cut well below that. */
    private static final int MAX_EVIDENCE_CHARS = 1023;

    private final String sensor;
    private final String version;

    public AlertCef(String sensor, String version) {
        this.sensor = sensor;
        this.version = version;
    }

    @Override
    public String format(Alert a) {
        StringBuilder b = new StringBuilder(512);
        b.append("CEF:0|dbwire|dbwire sensor|").append(header(version)).append('|')
                .append(header(a.detection())).append('|').append(header(a.summary())).append('|')
                .append(severity(a.severity())).append('|');
        ext(b, "rt", Long.toString(a.tsMicros() / 1000));
        ext(b, "start", Long.toString(a.windowStartMicros() / 1000));
        ext(b, "end", Long.toString(a.windowEndMicros() / 1000));
        ext(b, "externalId", a.id());
        ext(b, "cat", "dbwire/" + a.detection());
        ext(b, "msg", a.summary());
        ext(b, "src", a.clientIp());
        if (a.server() != null) {
            ext(b, "dst", a.server().ip());
            ext(b, "dpt", Integer.toString(a.server().port()));
        }
        ext(b, "duser", a.user());
        ext(b, "dvchost", sensor);
        ext(b, "cnt", Integer.toString(a.folded() + 1));
        ext(b, "cs1Label", "database");
        ext(b, "cs1", a.database());
        ext(b, "cs2Label", "mitreTechnique");
        ext(b, "cs2", a.mitre());
        ext(b, "cs3Label", "evidence");
        ext(b, "cs3", evidence(a));
        ext(b, "cfp1Label", "score");
        ext(b, "cfp1", Double.isFinite(a.score()) ? Double.toString(a.score()) : null);
        explanation(b, a.explanation());
        if (b.charAt(b.length() - 1) == ' ') {
            b.setLength(b.length() - 1);
        }
        return b.toString();
    }

    /** The explanation: cs4 rule, cn1 samples, cfp2 learnt for (seconds), cs5 the evidence records; unknown: left out. */
    private static void explanation(StringBuilder b, io.dbwire.core.detect.alert.Explanation e) {
        if (e.rule() != null) {
            ext(b, "cs4Label", "rule");
            ext(b, "cs4", e.rule());
        }
        if (e.samples() >= 0) {
            ext(b, "cn1Label", "samples");
            ext(b, "cn1", Long.toString(e.samples()));
        }
        if (e.learntForMicros() >= 0) {
            ext(b, "cfp2Label", "learntForSeconds");
            ext(b, "cfp2", Double.toString(AlertExplanation.learntForSeconds(e)));
        }
        String records = cut(String.join(" | ", AlertExplanation.recordLines(e)));
        if (records != null) {
            ext(b, "cs5Label", "evidenceRecords");
            ext(b, "cs5", records);
        }
    }

    /** CEF severity 0 to 10. */
    static int severity(Severity s) {
        if (s == null) {
            return 5;
        }
        switch (s) {
            case CRITICAL:
                return 10;
            case HIGH:
                return 8;
            case MEDIUM:
                return 5;
            case LOW:
                return 3;
            default:
                return 1;
        }
    }

    private static String evidence(Alert a) {
        return cut(String.join(" | ", a.evidence()));
    }

    /** Null when empty, else at most {@link #MAX_EVIDENCE_CHARS} characters. */
    private static String cut(String joined) {
        return joined.isEmpty() ? null : joined.length() > MAX_EVIDENCE_CHARS
                ? joined.substring(0, MAX_EVIDENCE_CHARS) : joined;
    }

    /** Header fields escape backslash and pipe. */
    static String header(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("\\", "\\\\").replace("|", "\\|").replace('\n', ' ').replace('\r', ' ');
    }

    /** Extension values escape backslash and equals sign, and write line breaks as \n and \r. Null: left out. */
    private static void ext(StringBuilder b, String key, String value) {
        if (value == null) {
            return;
        }
        b.append(key).append('=').append(value.replace("\\", "\\\\").replace("=", "\\=")
                .replace("\n", "\\n").replace("\r", "\\r")).append(' ');
    }
}
