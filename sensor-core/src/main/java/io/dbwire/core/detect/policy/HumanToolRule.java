package io.dbwire.core.detect.policy;

import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.detector.DetectContext;
import io.dbwire.core.detect.engine.BoundedLru;
import io.dbwire.core.detect.engine.DetectEvent;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.TransactionRecord;

/**
 * {@code policy_human_tool}: a service account used by a person. Two signs, either enough: the session's
 * application ({@code application_name}, MySQL {@code program_name}) is in the tools group (psql, DBeaver, the
 * mysql client), or the connection shows interactive timing — {@code interactive_statements} pauses of at least
 * {@code think_time} between consecutive statements, which an application pool does not make but a person typing
 * does. Timing is kept per connection (bounded by max_entities, evictions counted).
 */
final class HumanToolRule implements PolicyRule {
    static final String DETECTION = "policy_human_tool";
    static final String MITRE = "T1078";

    /** Per connection: the previous statement's packet time, the pauses seen and the longest. */
    private static final class Timing {
        long lastMicros = Long.MIN_VALUE;
        int pauses;
        long longestMicros;
    }

    private final String name;
    private final Severity severity;
    private final Group<NameSet> users;
    private final Group<NameSet> tools;
    private final long thinkMicros;
    private final int interactivePauses;
    private final BoundedLru<Long, Timing> connections;

    /** @param tools the tools group, or null to use timing only; {@code interactivePauses} 0 = no timing */
    HumanToolRule(String name, Severity severity, Group<NameSet> users, Group<NameSet> tools, long thinkMicros,
            int interactivePauses, DetectContext ctx) {
        this.name = name;
        this.severity = severity;
        this.users = users;
        this.tools = tools;
        this.thinkMicros = thinkMicros;
        this.interactivePauses = interactivePauses;
        this.connections = new BoundedLru<>(ctx.config().maxEntities(),
                (k, v) -> ctx.counters().increment(DetectEvent.ENTITIES_EVICTED));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void observe(TransactionRecord r, long nowMicros, DetectContext ctx) {
        if (!users.value().contains(r.session().user())) {
            return;
        }
        if (tools != null && tools.value().contains(r.session().application())) {
            raise(r, nowMicros, ctx, "application", null);
            return;
        }
        if (interactivePauses <= 0 || r.kind() != RecordKind.STATEMENT) {
            return;
        }
        Timing t = connections.computeIfAbsent(r.connectionId(), k -> new Timing());
        if (t.lastMicros != Long.MIN_VALUE && r.tsMicros() - t.lastMicros >= thinkMicros) {
            t.pauses++;
            t.longestMicros = Math.max(t.longestMicros, r.tsMicros() - t.lastMicros);
            if (t.pauses >= interactivePauses) {
                raise(r, nowMicros, ctx, "interactive_timing", t);
            }
        }
        t.lastMicros = Math.max(t.lastMicros, r.tsMicros());
    }

    private void raise(TransactionRecord r, long nowMicros, DetectContext ctx, String sign, Timing t) {
        String app = r.session().application();
        String how = t == null ? "tool " + app
                : t.pauses + " pauses of " + thinkMicros / 1_000_000.0 + " s or more between statements";
        ctx.raise(RuleAlert.draft(ctx, DETECTION, MITRE, name, "human_tool", severity, r, nowMicros,
                        RuleAlert.where(r) + '|' + RuleAlert.user(r) + '|' + r.client().ip() + '|' + app)
                .summary("service account " + RuleAlert.user(r) + " used interactively on " + RuleAlert.where(r)
                        + " from " + r.client().ip() + ": " + how + " (rule " + name + ")")
                .observed("sign", sign)
                .observed("users_group", users.name())
                .observed("tools_group", t == null ? tools.name() : null)
                .observed("pauses", t == null ? null : t.pauses)
                .observed("longest_pause_seconds", t == null ? null : t.longestMicros / 1_000_000.0)
                .observed("connection_id", r.connectionId())
                .baseline("think_time_seconds", thinkMicros / 1_000_000.0)
                .baseline("interactive_statements", interactivePauses), nowMicros);
    }
}
