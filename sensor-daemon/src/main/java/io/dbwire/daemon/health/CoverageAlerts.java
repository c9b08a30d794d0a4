package io.dbwire.daemon.health;

import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.record.Endpoint;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Alerts about the sensor's own view of the traffic, in the shape of docs/alerts.md. */
final class CoverageAlerts {
    static final String MIRROR_SILENCE = "mirror_silence";
    static final String CAPTURE_LOSS = "capture_loss";
    /** Impair Defenses: a deleted mirror session or a changed security group blinds the sensor. */
    private static final String IMPAIR_DEFENSES = "T1562";

    private CoverageAlerts() {}

    static Alert silence(Activity a, long nowMicros, long thresholdMicros) {
        double silent = seconds(nowMicros - a.lastMicros());
        String what = "source".equals(a.kind())
                ? "mirrored packets from " + a.labels().get("source") + " (VNI " + a.labels().get("vni") + ")"
                : "records from server " + a.labels().get("server");
        String summary = String.format(java.util.Locale.ROOT, "no %s for %.0f s; usually one every %.3f s", what,
                silent, seconds(a.usualIntervalMicros()));
        Map<String, Object> observed = Map.of("silent_seconds", round(silent),
                "source".equals(a.kind()) ? "packets" : "records", a.count());
        Map<String, Object> baseline = Map.of("usual_interval_seconds", round(seconds(a.usualIntervalMicros())),
                "threshold_seconds", round(seconds(thresholdMicros)));
        return new Alert(nowMicros, id(MIRROR_SILENCE, a.key(), a.lastMicros()), MIRROR_SILENCE, Severity.MEDIUM,
                summary, IMPAIR_DEFENSES, 50, null, serverOf(a), null, null, a.lastMicros(), nowMicros,
                ordered(observed, "silent_seconds"), ordered(baseline, "usual_interval_seconds"), List.of(a.key()), 0);
    }

    static Alert loss(double ratio, double bound, long dropped, long received, long windowStartMicros,
            long nowMicros) {
        String summary = String.format(java.util.Locale.ROOT,
                "the sensor lost %.1f%% of its input in the last %.0f s (bound %.1f%%)", ratio * 100,
                seconds(nowMicros - windowStartMicros), bound * 100);
        Map<String, Object> observed = Map.of("loss_ratio", round(ratio), "lost", dropped, "received", received);
        return new Alert(nowMicros, id(CAPTURE_LOSS, "sensor", windowStartMicros), CAPTURE_LOSS, Severity.MEDIUM,
                summary, null, Math.min(100, ratio / bound * 25), null, null, null, null, windowStartMicros,
                nowMicros, ordered(observed, "loss_ratio"), Map.of("max_loss_ratio", bound),
                List.of("lost = sensor drops + tcp gaps; received = datagrams + captured packets + tcp segments"), 0);
    }

    private static Endpoint serverOf(Activity a) {
        String s = a.labels().get("server");
        if (s == null) {
            return null;
        }
        int colon = s.lastIndexOf(':');
        String ip = s.substring(0, colon).replace("[", "").replace("]", "");
        return new Endpoint(ip, Integer.parseInt(s.substring(colon + 1)));
    }

    /** The map with {@code first} first and the rest by name: alert JSON keeps insertion order. */
    private static Map<String, Object> ordered(Map<String, Object> m, String first) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put(first, m.get(first));
        new java.util.TreeMap<>(m).forEach(out::putIfAbsent);
        return out;
    }

    private static double seconds(long micros) {
        return micros / 1e6;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** As the engine's ids: the first 64 bits of SHA-256 over detection, entity and window start. */
    private static String id(String detection, String entity, long windowStartMicros) {
        String material = detection + '\n' + entity + '\n' + windowStartMicros;
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
