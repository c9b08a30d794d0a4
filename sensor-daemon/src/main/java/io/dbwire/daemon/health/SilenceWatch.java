package io.dbwire.daemon.health;

import io.dbwire.core.detect.alert.Alert;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Raises {@code mirror_silence} when a source or server that had steady traffic goes quiet for several of its
 * usual intervals. "Steady" = at least {@link Settings#minObservations} observations spread over
 * {@link Settings#steadyAfterMicros}; "quiet" = nothing for {@code max(minSilence, intervals x usual interval)}.
 * One alert per silence: it re-arms when the origin is heard again. Pure: the caller supplies the time (packet
 * time in replay, the wall clock in run).
 */
public final class SilenceWatch {
    /** Packets or records an origin must have sent before its silence counts. */
    public static final int MIN_OBSERVATIONS = 10;

    /**
     * @param minSilenceMicros  shortest silence that can raise the alert
     * @param intervals         usual intervals of quiet that make a silence
     * @param steadyAfterMicros how long an origin must have been heard before its silence counts
     * @param minObservations   packets or records it must have sent by then
     */
    public record Settings(long minSilenceMicros, int intervals, long steadyAfterMicros, int minObservations) {}

    private final Settings settings;
    /** Origins alerted on, with the time of their last observation then: a newer one re-arms them. */
    private final Map<String, Long> silenced = new HashMap<>();

    public SilenceWatch(Settings settings) {
        this.settings = settings;
    }

    public List<Alert> check(List<Activity> activities, long nowMicros) {
        List<Alert> alerts = new ArrayList<>();
        Set<String> present = new HashSet<>();
        for (Activity a : activities) {
            present.add(a.key());
            Long alertedAt = silenced.get(a.key());
            if (alertedAt != null && alertedAt == a.lastMicros()) {
                continue; // still the same silence
            }
            silenced.remove(a.key());
            long threshold = thresholdMicros(a);
            if (steady(a) && nowMicros - a.lastMicros() > threshold) {
                silenced.put(a.key(), a.lastMicros());
                alerts.add(CoverageAlerts.silence(a, nowMicros, threshold));
            }
        }
        silenced.keySet().retainAll(present); // bounded by the tables' own bounds
        return alerts;
    }

    /** Whether {@code a} is silent now (for /status), whether or not it was steady enough to alert. */
    public boolean silent(Activity a, long nowMicros) {
        return a.usualIntervalMicros() >= 0 && nowMicros - a.lastMicros() > thresholdMicros(a);
    }

    private boolean steady(Activity a) {
        return a.count() >= settings.minObservations()
                && a.lastMicros() - a.firstMicros() >= settings.steadyAfterMicros();
    }

    private long thresholdMicros(Activity a) {
        long usual = Math.max(0, a.usualIntervalMicros());
        return Math.max(settings.minSilenceMicros(), Math.multiplyExact(usual, (long) settings.intervals()));
    }
}
