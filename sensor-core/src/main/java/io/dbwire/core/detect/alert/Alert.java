package io.dbwire.core.detect.alert;

import io.dbwire.core.record.Endpoint;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One detection, as documented in docs/alerts.md.
 *
 * @param tsMicros          packet time at which the alert was raised
 * @param id                stable identifier: the same detection for the same entity and window gives the same id
 * @param detection         detection name, e.g. {@code auth_bruteforce}
 * @param mitre             MITRE ATT&CK technique id, e.g. {@code T1110}
 * @param score             0..100, how far the observation is from normal
 * @param clientIp          the client the alert is about, or null for server-wide alerts
 * @param server            the server concerned
 * @param user              database user, or null
 * @param database          database name, or null
 * @param windowStartMicros start of the observation window
 * @param windowEndMicros   end of the observation window
 * @param observed          figures seen in the window (insertion order kept)
 * @param baseline          the figures they were compared with
 * @param evidence          up to the configured number of normalised statements or events
 * @param folded            repeats of this alert folded in by suppression before it was emitted
 * @param connectionIds     sensor connection ids of the records the evidence came from (empty for detections
 *                          whose evidence is a window's summary)
 * @param flowClient        client address and port of the first of those connections, or null: with
 *                          {@code server} it names the TCP flow (for a Community ID)
 * @param explanation       rule, how long the baseline was learnt, samples and evidence records
 */
public record Alert(
        long tsMicros,
        String id,
        String detection,
        Severity severity,
        String summary,
        String mitre,
        double score,
        String clientIp,
        Endpoint server,
        String user,
        String database,
        long windowStartMicros,
        long windowEndMicros,
        Map<String, Object> observed,
        Map<String, Object> baseline,
        List<String> evidence,
        int folded,
        List<Long> connectionIds,
        Endpoint flowClient,
        Explanation explanation) {

    /** An alert without an explanation beyond observed and baseline. */
    public Alert(long tsMicros, String id, String detection, Severity severity, String summary, String mitre,
            double score, String clientIp, Endpoint server, String user, String database, long windowStartMicros,
            long windowEndMicros, Map<String, Object> observed, Map<String, Object> baseline, List<String> evidence,
            int folded, List<Long> connectionIds, Endpoint flowClient) {
        this(tsMicros, id, detection, severity, summary, mitre, score, clientIp, server, user, database,
                windowStartMicros, windowEndMicros, observed, baseline, evidence, folded, connectionIds, flowClient,
                Explanation.NONE);
    }

    /** An alert with no connection behind its evidence. */
    public Alert(long tsMicros, String id, String detection, Severity severity, String summary, String mitre,
            double score, String clientIp, Endpoint server, String user, String database, long windowStartMicros,
            long windowEndMicros, Map<String, Object> observed, Map<String, Object> baseline, List<String> evidence,
            int folded) {
        this(tsMicros, id, detection, severity, summary, mitre, score, clientIp, server, user, database,
                windowStartMicros, windowEndMicros, observed, baseline, evidence, folded, List.of(), null,
                Explanation.NONE);
    }

    public Alert {
        connectionIds = connectionIds == null ? List.of() : List.copyOf(connectionIds);
        explanation = explanation == null ? Explanation.NONE : explanation;
        observed = Collections.unmodifiableMap(new LinkedHashMap<>(observed));
        baseline = Collections.unmodifiableMap(new LinkedHashMap<>(baseline));
        evidence = List.copyOf(evidence);
    }
}
