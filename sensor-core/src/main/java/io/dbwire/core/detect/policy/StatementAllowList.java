package io.dbwire.core.detect.policy;

import io.dbwire.core.config.PolicyConfig;
import io.dbwire.core.detect.alert.Evidence;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.detector.DetectContext;
import io.dbwire.core.detect.detector.Detector;
import io.dbwire.core.detect.engine.DetectEvent;
import io.dbwire.core.detect.state.StateTree;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code allowlist_violation}: the statement fingerprints each (server, user, application) may send. In
 * {@code learn} mode every statement adds its fingerprint; in {@code warn} (low) and {@code enforce-alert} (high)
 * a fingerprint not listed for its key raises an alert, once per (key, fingerprint) and suppression period, and
 * the list stays as it is. The list is imported from the policy's entries, kept in the state snapshot, and its
 * snapshot tree is the export format ({@code {"entries": [{server, user, application, fingerprints}]}}).
 * Bounded: at most max_entities keys and {@link #MAX_FINGERPRINTS} per key; what does not fit is counted
 * ({@code allowlist_full}) and not learnt — never evicted, since in enforce mode a forgotten entry would alert.
 */
public final class StatementAllowList implements Detector {
    public static final String NAME = "allowlist_violation";
    static final String MITRE = "T1190";
    static final int MAX_FINGERPRINTS = 4096;
    private static final String NO_FINGERPRINT = "0000000000000000";

    /** The key of one list. Null user or application: not seen on the wire (mid-stream pick-up). */
    record Key(String server, String user, String application) {}

    private final AllowListMode mode;
    private final int maxKeys;
    private final Map<Key, Set<String>> lists = new LinkedHashMap<>();
    private final DetectContext ctx;

    StatementAllowList(AllowListMode mode, List<PolicyConfig.AllowEntry> entries, DetectContext ctx) {
        this.mode = mode;
        this.maxKeys = ctx.config().maxEntities();
        this.ctx = ctx;
        for (PolicyConfig.AllowEntry e : entries) {
            Key k = new Key(e.server(), e.user(), e.application());
            for (String fp : e.fingerprints()) {
                add(k, fp);
            }
        }
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
        if (r.kind() != RecordKind.STATEMENT || r.statement() == null || r.statement().fingerprint() == null
                || NO_FINGERPRINT.equals(r.statement().fingerprint())) {
            return;
        }
        Key key = new Key(RuleAlert.where(r), r.session().user(), r.session().application());
        String fp = r.statement().fingerprint();
        Set<String> listed = lists.get(key);
        if (listed != null && listed.contains(fp)) {
            return;
        }
        if (mode == AllowListMode.LEARN) {
            if (add(key, fp)) {
                ctx.counters().increment(DetectEvent.ALLOWLIST_LEARNED);
            }
            return;
        }
        Severity severity = mode == AllowListMode.WARN ? Severity.LOW : Severity.HIGH;
        ctx.raise(RuleAlert.draft(ctx, NAME, MITRE, "allowlist", "allowlist_" + mode.text(), severity, r, nowMicros,
                        key.server() + '|' + key.user() + '|' + key.application() + '|' + fp)
                .summary("statement not on the allow-list of " + Evidence.name(key.user()) + " / "
                        + Evidence.name(key.application()) + " on " + key.server() + ": "
                        + r.statement().operation() + " from " + r.client().ip())
                .observed("mode", mode.text())
                .observed("fingerprint", fp)
                .observed("operation", r.statement().operation())
                .baseline("listed_fingerprints", listed == null ? 0 : listed.size())
                .baseline("key_known", listed != null), nowMicros);
    }

    /** Adds a fingerprint; false when already there or when a bound stops it (counted). */
    private boolean add(Key key, String fp) {
        Set<String> set = lists.get(key);
        if (set == null) {
            if (lists.size() >= maxKeys) {
                ctx.counters().increment(DetectEvent.ALLOWLIST_FULL);
                return false;
            }
            set = new LinkedHashSet<>();
            lists.put(key, set);
        }
        if (set.contains(fp)) {
            return false;
        }
        if (set.size() >= MAX_FINGERPRINTS) {
            ctx.counters().increment(DetectEvent.ALLOWLIST_FULL);
            return false;
        }
        return set.add(Objects.requireNonNull(fp));
    }

    /** The list as the export file has it: {@code {"mode": …, "entries": [{server, user, application, fingerprints}]}}. */
    @Override
    public Object snapshot() {
        List<Object> entries = new ArrayList<>();
        for (Map.Entry<Key, Set<String>> e : lists.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("server", e.getKey().server());
            m.put("user", e.getKey().user());
            m.put("application", e.getKey().application());
            m.put("fingerprints", new ArrayList<>(e.getValue()));
            entries.add(m);
        }
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("mode", mode.text());
        tree.put("entries", entries);
        return tree;
    }

    /** Adds a snapshot's entries to those imported from the policy (the union: nothing imported is lost). */
    @Override
    public void restore(Object tree) {
        for (Object o : StateTree.list(StateTree.map(tree, NAME).get("entries"), "entries")) {
            Map<String, Object> m = StateTree.map(o, "entry");
            Key k = new Key(StateTree.asString(m.get("server"), "server"), StateTree.asString(m.get("user"), "user"),
                    StateTree.asString(m.get("application"), "application"));
            for (Object fp : StateTree.list(m.get("fingerprints"), "fingerprints")) {
                add(k, StateTree.asString(fp, "fingerprint"));
            }
        }
    }
}
