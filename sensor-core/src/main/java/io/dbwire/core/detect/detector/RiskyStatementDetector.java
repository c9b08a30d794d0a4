package io.dbwire.core.detect.detector;

import io.dbwire.core.detect.alert.AlertDraft;
import io.dbwire.core.detect.alert.EntityKey;
import io.dbwire.core.detect.alert.Evidence;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.baseline.EntityKeys;
import io.dbwire.core.detect.engine.BoundedLru;
import io.dbwire.core.detect.engine.DetectEvent;
import io.dbwire.core.detect.engine.WindowClock;
import io.dbwire.core.detect.state.StateTree;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.util.Timestamps;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * {@code risky_statement}: a statement matching one of the rules in {@link RiskyRules} (server files and
 * programs, time-based injection, catalog enumeration, privilege and account changes, DROP/TRUNCATE). Rule-based,
 * so it needs no baseline, except for "learnable" rules (catalog enumeration, DROP/TRUNCATE). Those apply to
 * <em>application users</em> only, and not to a statement (fingerprint) that user already sent while the engine
 * was learning: the ORM's pg_catalog lookup and the job's nightly TRUNCATE are its normal; an injected
 * {@code information_schema} query is not. A user that appears later learns in its own first
 * {@code learning_period} the same way (its appearance is {@code new_user}'s business). An application user is one with at least {@link #APP_MIN_STATEMENTS}
 * statements drawn from few distinct fingerprints (at most one per {@link #APP_STATEMENTS_PER_FINGERPRINT}); a
 * person in psql (ad-hoc statements, catalog lookups all day) is not one. One alert per (client, server, user,
 * rule) per suppression period. Statements with no text (statement mode {@code off}) are not matched.
 */
public final class RiskyStatementDetector implements Detector {
    static final String NAME = "risky_statement";
    static final String MITRE = "T1190";
    /** Statement text scanned per record; the rest is not matched (bounds the regex work). */
    static final int MAX_SCAN_CHARS = 4096;
    /** Distinct statement texts whose rule matches are remembered. */
    static final int MATCH_CACHE_ENTRIES = 4096;
    static final long APP_MIN_STATEMENTS = 500;
    static final long APP_STATEMENTS_PER_FINGERPRINT = 50;
    /** Distinct fingerprints counted per user; beyond it the user is ad-hoc, never an application. */
    static final int MAX_USER_FINGERPRINTS = 256;

    /** Per (server, user): statements and distinct fingerprints, to tell an application from a person. */
    static final class UserShape {
        long firstSeenMicros;
        long statements;
        final java.util.Set<String> fingerprints = new java.util.HashSet<>();

        boolean application() {
            return statements >= APP_MIN_STATEMENTS && fingerprints.size() < MAX_USER_FINGERPRINTS
                    && fingerprints.size() * APP_STATEMENTS_PER_FINGERPRINT <= statements;
        }
    }

    private final List<RiskyRules.Compiled> rules;
    private final long learningMicros;
    /** Learnable rules seen during learning, as {@code rule|server=… user=…|fingerprint}. */
    private final BoundedLru<String, Boolean> learned;
    private final BoundedLru<EntityKey.User, UserShape> users;
    /**
     * Which rules a statement text matches, as a bit per rule. Applications repeat a few statement shapes
     * (normalised text is the same for every call), so the rules' regexes run once per shape, not per statement.
     */
    private final BoundedLru<String, BitSet> matchesByText = new BoundedLru<>(MATCH_CACHE_ENTRIES, (k, v) -> { });

    public RiskyStatementDetector(DetectContext ctx) {
        this.rules = RiskyRules.compile(ctx.config().riskyRules());
        this.learningMicros = ctx.config().learningPeriodMicros();
        this.learned = new BoundedLru<>(ctx.config().maxEntities(),
                (k, v) -> ctx.counters().increment(DetectEvent.ENTITIES_EVICTED));
        this.users = new BoundedLru<>(ctx.config().maxEntities(),
                (k, v) -> ctx.counters().increment(DetectEvent.ENTITIES_EVICTED));
    }

    /** Bit i set when rule i matches {@code text}; never modified once cached. */
    private BitSet matches(String text) {
        BitSet cached = matchesByText.get(text);
        if (cached != null) {
            return cached;
        }
        CharSequence scan = text.length() <= MAX_SCAN_CHARS ? text : text.subSequence(0, MAX_SCAN_CHARS);
        BitSet bits = new BitSet(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).pattern().matcher(scan).find()) {
                bits.set(i);
            }
        }
        matchesByText.put(text, bits);
        return bits;
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
        EntityKey.User userKey = ctx.keys().user(r.server(), String.valueOf(r.session().user()));
        UserShape shape = users.get(userKey);
        if (shape == null) {
            shape = new UserShape();
            shape.firstSeenMicros = nowMicros;
            users.put(userKey, shape);
        }
        shape.statements++;
        if (shape.fingerprints.size() < MAX_USER_FINGERPRINTS && r.statement().fingerprint() != null) {
            shape.fingerprints.add(r.statement().fingerprint());
        }
        BitSet matched = matches(text);
        for (int i = matched.nextSetBit(0); i >= 0; i = matched.nextSetBit(i + 1)) {
            RiskyRules.Compiled rule = rules.get(i);
            if (rule.learnable()) {
                String key = rule.name() + '|' + userKey.id() + '|' + r.statement().fingerprint();
                if (ctx.clock().inLearning(nowMicros, learningMicros)
                        || !WindowClock.learningOver(shape.firstSeenMicros, nowMicros, learningMicros)) {
                    learned.put(key, Boolean.TRUE);
                    continue;
                }
                if (!shape.application() || learned.get(key) != null) {
                    continue;
                }
            }
            raise(rule, r, shape, nowMicros, ctx);
        }
    }

    private void raise(RiskyRules.Compiled rule, TransactionRecord r, UserShape shape, long nowMicros,
            DetectContext ctx) {
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
                .baseline("user_statements", shape.statements)
                .baseline("user_fingerprints", shape.fingerprints.size())
                .rule(rule.name())
                .learnt(nowMicros - shape.firstSeenMicros, shape.statements)
                .evidence(r, Evidence.of(r));
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
        List<Object> learnedOut = new ArrayList<>();
        for (java.util.Map.Entry<String, Boolean> e : learned.entries()) {
            learnedOut.add(e.getKey());
        }
        List<Object> usersOut = new ArrayList<>();
        for (java.util.Map.Entry<EntityKey.User, UserShape> e : users.entries()) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("key", EntityKeys.toTree(e.getKey()));
            m.put("first_seen", e.getValue().firstSeenMicros);
            m.put("statements", e.getValue().statements);
            m.put("fingerprints", new ArrayList<>(e.getValue().fingerprints));
            usersOut.add(m);
        }
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("learned", learnedOut);
        out.put("users", usersOut);
        return out;
    }

    @Override
    public void restore(Object tree) {
        java.util.Map<String, Object> in = StateTree.map(tree, NAME);
        for (Object o : StateTree.list(in.get("learned"), "learned")) {
            learned.put(StateTree.asString(o, "learned"), Boolean.TRUE);
        }
        for (Object o : StateTree.list(in.get("users"), "users")) {
            java.util.Map<String, Object> m = StateTree.map(o, "user");
            UserShape u = new UserShape();
            u.firstSeenMicros = StateTree.asLong(m.get("first_seen"), "first_seen");
            u.statements = StateTree.asLong(m.get("statements"), "statements");
            for (Object f : StateTree.list(m.get("fingerprints"), "fingerprints")) {
                if (u.fingerprints.size() < MAX_USER_FINGERPRINTS) {
                    u.fingerprints.add(StateTree.asString(f, "fingerprint"));
                }
            }
            users.put((EntityKey.User) EntityKeys.fromTree(m.get("key")), u);
        }
    }
}
