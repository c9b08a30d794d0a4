package io.dbwire.core.detect.policy;

import io.dbwire.core.detect.detector.DetectContext;
import io.dbwire.core.detect.detector.Detector;
import io.dbwire.core.detect.state.StateTree;
import io.dbwire.core.record.TransactionRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy file's rules as one detector (one snapshot entry, {@code policy}, keyed by rule name). Each rule
 * raises alerts under its kind's detection name ({@code policy_…}).
 */
final class PolicyRules implements Detector {
    static final String NAME = "policy";

    private final List<PolicyRule> rules;

    PolicyRules(List<PolicyRule> rules) {
        this.rules = List.copyOf(rules);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String mitre() {
        return "T1078";
    }

    @Override
    public void observe(TransactionRecord r, long nowMicros, DetectContext ctx) {
        for (PolicyRule rule : rules) {
            rule.observe(r, nowMicros, ctx);
        }
    }

    @Override
    public Object snapshot() {
        Map<String, Object> tree = new LinkedHashMap<>();
        for (PolicyRule rule : rules) {
            Object t = rule.snapshot();
            if (t != null) {
                tree.put(rule.name(), t);
            }
        }
        return tree.isEmpty() ? null : tree;
    }

    /** Rules renamed or removed since the snapshot simply start learning again. */
    @Override
    public void restore(Object tree) {
        Map<String, Object> m = StateTree.map(tree, NAME);
        for (PolicyRule rule : rules) {
            Object t = m.get(rule.name());
            if (t != null) {
                rule.restore(t);
            }
        }
    }
}
