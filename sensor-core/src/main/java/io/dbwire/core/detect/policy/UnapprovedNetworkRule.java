package io.dbwire.core.detect.policy;

import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.detector.DetectContext;
import io.dbwire.core.record.TransactionRecord;

/**
 * {@code policy_unapproved_network}: a client address outside every approved network reached a server (any
 * record: a failed login counts). One alert per (rule, client, server) and suppression period.
 */
final class UnapprovedNetworkRule implements PolicyRule {
    static final String DETECTION = "policy_unapproved_network";
    static final String MITRE = "T1133";

    private final String name;
    private final Severity severity;
    private final Group<NetworkSet> networks;

    UnapprovedNetworkRule(String name, Severity severity, Group<NetworkSet> networks) {
        this.name = name;
        this.severity = severity;
        this.networks = networks;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void observe(TransactionRecord r, long nowMicros, DetectContext ctx) {
        if (networks.value().contains(r.client().ip())) {
            return;
        }
        ctx.raise(RuleAlert.draft(ctx, DETECTION, MITRE, name, "unapproved_network", severity, r, nowMicros,
                        r.client().ip() + '|' + RuleAlert.where(r))
                .summary("client " + r.client().ip() + " outside approved networks " + networks.name() + " reached "
                        + RuleAlert.where(r) + " as " + RuleAlert.user(r) + " (rule " + name + ")")
                .baseline("networks_group", networks.name()), nowMicros);
    }
}
