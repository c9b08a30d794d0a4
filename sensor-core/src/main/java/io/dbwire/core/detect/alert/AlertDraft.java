package io.dbwire.core.detect.alert;

import io.dbwire.core.record.Endpoint;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.record.TransactionRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A candidate alert as a detector builds it, before suppression decides whether and when it is emitted. The
 * entity key is what suppression and the alert id are keyed on. Evidence beyond the configured limit is dropped.
 */
public final class AlertDraft {
    private final String detection;
    private final int maxEvidence;
    private String mitre;
    private Severity severity = Severity.INFO;
    private String summary = "";
    private double score;
    private String entityKey = "";
    private String clientIp;
    private Endpoint server;
    private String user;
    private String database;
    private long windowStartMicros;
    private long windowEndMicros;
    private final Map<String, Object> observed = new LinkedHashMap<>();
    private final Map<String, Object> baseline = new LinkedHashMap<>();
    private final List<String> evidence = new ArrayList<>();
    private final List<Long> connectionIds = new ArrayList<>();
    private Endpoint flowClient;
    private String rule;
    private long learntForMicros = -1;
    private long samples = -1;
    private final List<Explanation.EvidenceRecord> records = new ArrayList<>();

    public AlertDraft(String detection, String mitre, int maxEvidence) {
        this.detection = detection;
        this.mitre = mitre;
        this.maxEvidence = Math.max(0, maxEvidence);
    }

    public AlertDraft mitre(String v) { mitre = v; return this; }
    public AlertDraft severity(Severity v) { severity = v; return this; }
    public AlertDraft summary(String v) { summary = v; return this; }
    /** Clamped to 0..100. */
    public AlertDraft score(double v) { score = Math.max(0, Math.min(100, v)); return this; }
    public AlertDraft entity(EntityKey key) { entityKey = key.id(); return this; }
    /** An entity that is an {@link EntityKey} plus a qualifier, e.g. one rule for one client/server/user. */
    public AlertDraft entityId(String id) { entityKey = id; return this; }
    public AlertDraft client(String ip) { clientIp = ip; return this; }
    public AlertDraft server(Endpoint v) { server = v; return this; }
    public AlertDraft user(String v) { user = v; return this; }
    public AlertDraft database(String v) { database = v; return this; }

    public AlertDraft window(long startMicros, long endMicros) {
        windowStartMicros = startMicros;
        windowEndMicros = endMicros;
        return this;
    }

    public AlertDraft observed(String key, Object value) { observed.put(key, value); return this; }
    public AlertDraft baseline(String key, Object value) { baseline.put(key, value); return this; }

    /** Adds one evidence item unless the limit is reached or it is already there. */
    public AlertDraft evidence(String item) {
        if (item != null && evidence.size() < maxEvidence && !evidence.contains(item)) {
            evidence.add(item);
        }
        return this;
    }

    /** The detection's rule that fired (docs/alerts.md names each detection's rules). */
    public AlertDraft rule(String v) { rule = v; return this; }

    /** How long the compared baseline had been learning and how many values it holds. */
    public AlertDraft learnt(long forMicros, long sampleCount) {
        learntForMicros = forMicros;
        samples = sampleCount;
        return this;
    }

    /** Names one record behind the alert and its connection (bounded like the evidence). */
    public AlertDraft record(Explanation.EvidenceRecord e, Endpoint client) {
        if (records.size() < Math.max(1, maxEvidence) && !records.contains(e)) {
            records.add(e);
        }
        if (connectionIds.size() < Math.max(1, maxEvidence) && !connectionIds.contains(e.connectionId())) {
            connectionIds.add(e.connectionId());
            if (flowClient == null) {
                flowClient = client;
            }
        }
        return this;
    }

    /** Adds evidence taken from one record, and the record's connection. */
    public AlertDraft evidence(TransactionRecord r, String item) {
        evidence(item);
        return connection(r);
    }

    /** Names the record behind the alert and its connection (bounded like the evidence; the first gives the flow). */
    public AlertDraft connection(TransactionRecord r) {
        return record(evidenceRecord(r), r.client());
    }

    /** The evidence-record form of a record: time, connection, kind and fingerprint. */
    public static Explanation.EvidenceRecord evidenceRecord(TransactionRecord r) {
        return evidenceRecord(r.tsMicros(), r.connectionId(), r.kind(), r.statement());
    }

    /** The same from a record's parts, for a detector that kept those rather than the record. */
    public static Explanation.EvidenceRecord evidenceRecord(long tsMicros, long connectionId,
            RecordKind kind, StatementInfo statement) {
        return new Explanation.EvidenceRecord(tsMicros, connectionId, kind.json(),
                statement == null ? null : statement.fingerprint());
    }

    public boolean evidenceFull() { return evidence.size() >= maxEvidence; }
    public String detection() { return detection; }
    public Severity severity() { return severity; }
    /** The suppression key: detection and entity. */
    String suppressionKey() { return detection + '|' + entityKey; }

    /**
     * Stable id: the first 64 bits of SHA-256 over detection, entity and window start, as 16 hex digits. The same
     * detection for the same entity and window gives the same id in every run.
     */
    String id() {
        String material = detection + '\n' + entityKey + '\n' + windowStartMicros;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    Alert toAlert(long tsMicros, int folded) {
        return new Alert(tsMicros, id(), detection, severity, summary, mitre, score, clientIp, server, user,
                database, windowStartMicros, windowEndMicros, observed, baseline, evidence, folded, connectionIds,
                flowClient, new Explanation(rule, learntForMicros, samples, records));
    }
}
