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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code new_statement}: a statement fingerprint never seen for an established application user on a server.
 * An application sends a fixed set of statements; one it never sent is an injected query, a new code path, or
 * someone else using its credentials. Established = the user's own learning period is over and it sent at least
 * {@link #MIN_STATEMENTS}. LOW: a deployment legitimately adds statements; the alert is context for the others.
 * MITRE T1190 Exploit Public-Facing Application (injected SQL shows up as new fingerprints).
 */
public final class NewStatementDetector implements Detector {
    static final String NAME = "new_statement";
    static final String MITRE = "T1190";
    static final long MIN_STATEMENTS = 100;
    /** Fingerprints remembered per user; a user beyond it (ad-hoc SQL, not an application) is no longer scored. */
    static final int MAX_FINGERPRINTS = 4096;
    /** The record contract's fingerprint for statements with no text. */
    static final String NO_FINGERPRINT = "0000000000000000";

    static final class UserState {
        long firstSeenMicros;
        long statements;
        final Set<String> fingerprints = new HashSet<>();
    }

    private final long learningMicros;
    private final BoundedLru<EntityKey.User, UserState> users;

    public NewStatementDetector(DetectContext ctx) {
        this.learningMicros = ctx.config().learningPeriodMicros();
        this.users = new BoundedLru<>(ctx.config().maxEntities(),
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
        if (r.kind() != RecordKind.STATEMENT || r.session().user() == null || r.statement() == null) {
            return;
        }
        String fp = r.statement().fingerprint();
        if (fp == null || NO_FINGERPRINT.equals(fp)) {
            return;
        }
        EntityKey.User key = ctx.keys().user(r.server(), r.session().user());
        UserState s = users.get(key);
        if (s == null) {
            s = new UserState();
            s.firstSeenMicros = nowMicros;
            users.put(key, s);
        }
        s.statements++;
        if (s.fingerprints.contains(fp) || s.fingerprints.size() >= MAX_FINGERPRINTS) {
            return;
        }
        int knownBefore = s.fingerprints.size();
        s.fingerprints.add(fp);
        boolean established = WindowClock.learningOver(s.firstSeenMicros, nowMicros, learningMicros)
                && s.statements > MIN_STATEMENTS;
        if (!established) {
            return;
        }
        long bucket = ctx.clock().bucketStart(nowMicros);
        AlertDraft d = ctx.draft(NAME, MITRE)
                .severity(Severity.LOW)
                .score(35)
                .summary("new statement for user " + Evidence.name(key.user()) + " on "
                        + EntityKey.endpoint(key.server()) + " from " + r.client().ip() + ": "
                        + r.statement().operation())
                .entity(key)
                .client(r.client().ip())
                .server(r.server())
                .user(key.user())
                .database(r.session().database())
                .window(bucket, bucket + ctx.clock().bucketMicros())
                .observed("fingerprint", fp)
                .observed("operation", r.statement().operation())
                .observed("first_seen", Timestamps.formatMicros(nowMicros))
                .baseline("known_fingerprints", knownBefore)
                .baseline("statements", s.statements - 1)
                .rule("new_fingerprint")
                .learnt(nowMicros - s.firstSeenMicros, s.statements - 1)
                .evidence(r, Evidence.of(r));
        ctx.raise(d, nowMicros);
    }

    @Override
    public Object snapshot() {
        List<Object> out = new ArrayList<>();
        for (Map.Entry<EntityKey.User, UserState> e : users.entries()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", EntityKeys.toTree(e.getKey()));
            m.put("first_seen", e.getValue().firstSeenMicros);
            m.put("statements", e.getValue().statements);
            m.put("fingerprints", new ArrayList<>(e.getValue().fingerprints));
            out.add(m);
        }
        return out;
    }

    @Override
    public void restore(Object tree) {
        for (Object o : StateTree.list(tree, NAME)) {
            Map<String, Object> m = StateTree.map(o, "user");
            UserState s = new UserState();
            s.firstSeenMicros = StateTree.asLong(m.get("first_seen"), "first_seen");
            s.statements = StateTree.asLong(m.get("statements"), "statements");
            for (Object f : StateTree.list(m.get("fingerprints"), "fingerprints")) {
                if (s.fingerprints.size() < MAX_FINGERPRINTS) {
                    s.fingerprints.add(StateTree.asString(f, "fingerprint"));
                }
            }
            users.put((EntityKey.User) EntityKeys.fromTree(m.get("key")), s);
        }
    }
}
