package io.dbwire.core.detect;

import io.dbwire.core.detect.state.StateTree;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.util.Timestamps;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code risky_statement}: a statement matching one of the rules in {@link RiskyRules} (server files and
 * programs, time-based injection, catalog enumeration, privilege and account changes, DROP/TRUNCATE). Rule-based,
 * so it needs no baseline, except for "learnable" rules: what a user did while the engine was learning (an ORM
 * reading pg_catalog, a nightly TRUNCATE) it may keep doing. One alert per (client, server, user, rule) per
 * suppression period. Statements with no text (statement mode {@code off}) are not matched.
 */
final class RiskyStatementDetector implements Detector {
    static final String NAME = "risky_statement";
    static final String MITRE = "T1190";
    /** Statement text scanned per record; the rest is not matched (bounds the regex work). */
    static final int MAX_SCAN_CHARS = 4096;

    private final List<RiskyRules.Compiled> rules;
    private final long learningMicros;
    /** Learnable rules seen during learning, as {@code rule|server=…|user=…}. */
    private final BoundedLru<String, Boolean> learned;

    RiskyStatementDetector(DetectContext ctx) {
        this.rules = RiskyRules.compile(ctx.config().riskyRules());
        this.learningMicros = ctx.config().learningPeriodMicros();
        this.learned = new BoundedLru<>(ctx.config().maxEntities(),
                (k, v) -> ctx.counters().increment(DetectEvent.ENTITIES_EVICTED));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String mitre() {
        return MITRE;
    }

    @Override
    public void observe(TransactionRecord r, long nowMicros, DetectContext ctx) {
        if (r.kind() != RecordKind.STATEMENT || r.statement() == null || r.statement().text() == null) {
            return;
        }
        String text = r.statement().text();
        CharSequence scan = text.length() <= MAX_SCAN_CHARS ? text : text.subSequence(0, MAX_SCAN_CHARS);
        for (RiskyRules.Compiled rule : rules) {
            if (!rule.pattern().matcher(scan).find()) {
                continue;
            }
            if (rule.learnable()) {
                String key = rule.name() + '|' + new EntityKey.User(r.server(), String.valueOf(r.session().user())).id();
                if (ctx.clock().inLearning(nowMicros, learningMicros)) {
                    learned.put(key, Boolean.TRUE);
                    continue;
                }
                if (learned.get(key) != null) {
                    continue;
                }
            }
            raise(rule, r, nowMicros, ctx);
        }
    }

    private void raise(RiskyRules.Compiled rule, TransactionRecord r, long nowMicros, DetectContext ctx) {
        String user = r.session().user();
        long bucket = ctx.clock().bucketStart(nowMicros);
        AlertDraft d = ctx.draft(NAME, rule.mitre())
                .severity(rule.severity())
                .score(scoreOf(rule.severity()))
                .summary(rule.name() + ": " + r.statement().operation() + " by " + Evidence.name(user) + " from "
                        + r.client().ip() + " on " + EntityKey.endpoint(r.server()))
                .entityId(new EntityKey.ClientServerUser(r.client().ip(), r.server(), String.valueOf(user)).id()
                        + " rule=" + rule.name())
                .client(r.client().ip())
                .server(r.server())
                .user(user)
                .database(r.session().database())
                .window(bucket, bucket + ctx.clock().bucketMicros())
                .observed("rule", rule.name())
                .observed("operation", r.statement().operation())
                .observed("fingerprint", r.statement().fingerprint())
                .observed("status", r.status().json())
                .observed("at", Timestamps.formatMicros(nowMicros))
                .baseline("learnable", rule.learnable())
                .baseline("learned_by_user", false)
                .evidence(Evidence.of(r));
        ctx.raise(d, nowMicros);
    }

    static double scoreOf(Severity s) {
        switch (s) {
            case CRITICAL:
                return 95;
            case HIGH:
                return 80;
            case MEDIUM:
                return 60;
            case LOW:
                return 40;
            default:
                return 20;
        }
    }

    @Override
    public Object snapshot() {
        List<Object> out = new ArrayList<>();
        for (java.util.Map.Entry<String, Boolean> e : learned.entries()) {
            out.add(e.getKey());
        }
        return out;
    }

    @Override
    public void restore(Object tree) {
        for (Object o : StateTree.list(tree, NAME)) {
            learned.put(StateTree.asString(o, "learned"), Boolean.TRUE);
        }
    }
}
