package io.dbwire.core.detect.policy;

import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.detector.DetectContext;
import io.dbwire.core.detect.engine.BoundedLru;
import io.dbwire.core.detect.engine.DetectEvent;
import io.dbwire.core.detect.state.StateTree;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code policy_sensitive_first_read}: a user, or an application, reads a table of the sensitive group it never
 * read before on that server. Readers are learnt silently during the learning period (from the engine's first
 * record); after it, each new (server, user, table) and (server, application, table) alerts once and is then
 * known. Only successful reads count (SELECT, WITH, COPY … TO, TABLE, HANDLER). Known readers are kept in the
 * state snapshot and bounded by max_entities (evictions counted: an evicted reader alerts again).
 */
final class SensitiveFirstReadRule implements PolicyRule {
    static final String DETECTION = "policy_sensitive_first_read";
    static final String MITRE = "T1213";
    private static final Set<String> READS = Set.of("SELECT", "WITH", "COPY", "TABLE", "HANDLER", "SHOW");

    private final String name;
    private final Severity severity;
    private final Group<SensitiveTables> tables;
    private final long learningMicros;
    /** "server|user:name|table" and "server|app:name|table" → first read time. */
    private final BoundedLru<String, Long> known;

    SensitiveFirstReadRule(String name, Severity severity, Group<SensitiveTables> tables, DetectContext ctx) {
        this.name = name;
        this.severity = severity;
        this.tables = tables;
        this.learningMicros = ctx.config().learningPeriodMicros();
        this.known = new BoundedLru<>(ctx.config().maxEntities(),
                (k, v) -> ctx.counters().increment(DetectEvent.ENTITIES_EVICTED));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void observe(TransactionRecord r, long nowMicros, DetectContext ctx) {
        if (r.kind() != RecordKind.STATEMENT || r.statement() == null || r.status() != RecordStatus.OK
                || !READS.contains(r.statement().operation())) {
            return;
        }
        List<SensitiveTables.Entry> read = tables.value().readBy(TableRefs.of(r.statement().text()));
        if (read.isEmpty()) {
            return;
        }
        boolean learning = ctx.clock().inLearning(nowMicros, learningMicros);
        String server = RuleAlert.where(r);
        for (SensitiveTables.Entry e : read) {
            List<String> firstBy = new ArrayList<>();
            learn(server + "|user:" + r.session().user() + '|' + e.text(), r.session().user(), "user", nowMicros,
                    firstBy);
            learn(server + "|app:" + r.session().application() + '|' + e.text(), r.session().application(),
                    "application", nowMicros, firstBy);
            if (!learning && !firstBy.isEmpty()) {
                ctx.raise(RuleAlert.draft(ctx, DETECTION, MITRE, name, "sensitive_first_read", severity, r,
                                nowMicros, server + '|' + RuleAlert.user(r) + '|' + r.session().application() + '|'
                                        + e.text())
                        .summary("first read of sensitive " + e.text() + " by " + String.join(" and ", firstBy)
                                + " " + RuleAlert.user(r)
                                + (firstBy.contains("application") ? " / " + r.session().application() : "")
                                + " on " + server + " (rule " + name + ")")
                        .observed("tables_group", tables.name())
                        .observed("table", e.text())
                        .observed("first_by", String.join("+", firstBy))
                        .observed("fingerprint", r.statement().fingerprint())
                        .baseline("learning_seconds", learningMicros / 1_000_000L), nowMicros);
            }
        }
    }

    /** Marks the reader known; notes it in {@code firstBy} when it was not. A reader not seen (null) is skipped. */
    private void learn(String key, String who, String role, long nowMicros, List<String> firstBy) {
        if (who == null) {
            return;
        }
        if (known.get(key) == null) {
            known.put(key, nowMicros);
            firstBy.add(role);
        }
    }

    @Override
    public Object snapshot() {
        List<Object> out = new ArrayList<>();
        for (var e : known.entries()) {
            out.add(List.of(e.getKey(), e.getValue()));
        }
        return out;
    }

    @Override
    public void restore(Object tree) {
        for (Object o : StateTree.list(tree, name)) {
            List<Object> pair = StateTree.list(o, "reader");
            known.put(StateTree.asString(pair.get(0), "reader"), StateTree.asLong(pair.get(1), "first_read"));
        }
    }
}
