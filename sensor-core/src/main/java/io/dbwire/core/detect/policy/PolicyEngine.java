package io.dbwire.core.detect.policy;

import io.dbwire.core.config.PolicyConfig;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.detector.DetectContext;
import io.dbwire.core.detect.detector.Detector;
import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The DAM policy compiled for the detection engine (docs/alerts.md, "Policy"): the ignore rules the engine applies
 * before its detectors, and the detectors for the rules and the statement allow-list. {@link #compile} checks the
 * whole policy (group references, which fields a rule kind takes, zones, CIDRs, times) and throws
 * {@link IllegalArgumentException} naming the first bad key as {@code key: value (expected: …)}; the daemon calls
 * it to validate the file before starting.
 */
public final class PolicyEngine {
    /** Rule kinds and the group fields each takes (required first, then optional). */
    private static final Map<String, List<String>> FIELDS = Map.of(
            "privileged_off_hours", List.of("users", "hours"),
            "sensitive_first_read", List.of("tables"),
            "change_outside_window", List.of("windows", "operations", "users"),
            "human_tool", List.of("users", "applications", "think_time", "interactive_statements"),
            "unapproved_network", List.of("networks"));
    private static final Map<String, List<String>> REQUIRED = Map.of(
            "privileged_off_hours", List.of("users", "hours"),
            "sensitive_first_read", List.of("tables"),
            "change_outside_window", List.of("windows"),
            "human_tool", List.of("users"),
            "unapproved_network", List.of("networks"));

    private final PolicyConfig config;
    /** An array: checked for every record, mostly empty (a list's iterator was measurable). */
    private final IgnoreRule[] ignore;
    private final AllowListMode allowListMode;

    private PolicyEngine(PolicyConfig config, List<IgnoreRule> ignore, AllowListMode allowListMode) {
        this.config = config;
        this.ignore = ignore.toArray(new IgnoreRule[0]);
        this.allowListMode = allowListMode;
    }

    /** Checks and compiles a policy. @throws IllegalArgumentException naming the bad key */
    public static PolicyEngine compile(PolicyConfig p) {
        List<IgnoreRule> ignore = new ArrayList<>();
        for (int i = 0; i < p.ignore().size(); i++) {
            ignore.add(IgnoreRule.compile("ignore[" + i + "]", p.ignore().get(i), p.networks()));
        }
        AllowListMode mode = AllowListMode.parse("allowlist.mode", p.allowlist().mode());
        PolicyEngine engine = new PolicyEngine(p, ignore, mode);
        engine.buildRules(null); // validates every rule without a context
        return engine;
    }

    /** Whether a record is known noise; the engine then drops it before any detector. */
    public boolean ignores(TransactionRecord r) {
        for (IgnoreRule rule : ignore) {
            if (rule.matches(r)) {
                return true;
            }
        }
        return false;
    }

    /** The policy's detectors: its rules (if any) and the allow-list (unless off), fresh for one engine. */
    public List<Detector> detectors(DetectContext ctx) {
        List<Detector> out = new ArrayList<>();
        List<PolicyRule> rules = buildRules(ctx);
        if (!rules.isEmpty()) {
            out.add(new PolicyRules(rules));
        }
        if (allowListMode != AllowListMode.OFF) {
            out.add(new StatementAllowList(allowListMode, config.allowlist().entries(), ctx));
        }
        return out;
    }

    /** @param ctx null to validate only (rules that keep per-engine state are then not built) */
    private List<PolicyRule> buildRules(DetectContext ctx) {
        List<PolicyRule> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < config.rules().size(); i++) {
            PolicyConfig.Rule r = config.rules().get(i);
            String where = "rules[" + i + "]";
            if (r.name() == null || r.name().isBlank()) {
                throw new IllegalArgumentException(where + ".name: missing (expected: a name unique among the rules)");
            }
            if (!names.add(r.name())) {
                throw new IllegalArgumentException(where + ".name: " + r.name() + " (expected: a name unique among the rules)");
            }
            where = where + " (" + r.name() + ")";
            PolicyRule rule = build(where, r, ctx);
            if (rule != null) {
                out.add(rule);
            }
        }
        return out;
    }

    private PolicyRule build(String where, PolicyConfig.Rule r, DetectContext ctx) {
        List<String> allowed = FIELDS.get(r.kind());
        if (allowed == null) {
            throw new IllegalArgumentException(where + ".kind: " + r.kind() + " (expected one of: "
                    + String.join(", ", FIELDS.keySet().stream().sorted().toList()) + ")");
        }
        checkFields(where, r, allowed, REQUIRED.get(r.kind()));
        Severity severity = severity(where + ".severity", r.severity());
        switch (r.kind()) {
            case "privileged_off_hours": {
                Group<WeeklyHours> hours = group(where + ".hours", "hours", r.hours(), config.hours(),
                        (w, h) -> WeeklyHours.parse(w, h, null));
                return new PrivilegedOffHoursRule(r.name(), severity, users(where, r.users()), hours,
                        describe(config.hours().get(r.hours())));
            }
            case "sensitive_first_read": {
                Group<SensitiveTables> tables = group(where + ".tables", "tables", r.tables(), config.tables(),
                        SensitiveTables::parse);
                return ctx == null ? null : new SensitiveFirstReadRule(r.name(), severity, tables, ctx);
            }
            case "change_outside_window": {
                Group<ChangeWindows> windows = group(where + ".windows", "windows", r.windows(), config.windows(),
                        ChangeWindows::parse);
                List<String> ops = r.operations() == null || r.operations().isEmpty()
                        ? ChangeOutsideWindowRule.DEFAULT_OPERATIONS : r.operations();
                return new ChangeOutsideWindowRule(r.name(), severity, windows, ops,
                        r.users() == null ? null : users(where, r.users()));
            }
            case "human_tool": {
                Group<NameSet> users = users(where, r.users());
                Group<NameSet> tools = r.applications() == null ? null
                        : group(where + ".applications", "applications", r.applications(), config.applications(),
                                (w, l) -> NameSet.of(l));
                if (tools == null && r.interactiveStatements() <= 0) {
                    throw new IllegalArgumentException(where + ": neither applications nor interactive_statements"
                            + " (expected: a tools group, a count of think-time pauses, or both)");
                }
                if (r.interactiveStatements() > 0 && r.thinkTimeMicros() <= 0) {
                    throw new IllegalArgumentException(where + ".think_time: missing (expected: a duration such as"
                            + " 5s, with interactive_statements)");
                }
                return ctx == null ? null : new HumanToolRule(r.name(), severity, users, tools,
                        r.thinkTimeMicros(), r.interactiveStatements(), ctx);
            }
            default: {
                Group<NetworkSet> networks = group(where + ".networks", "networks", r.networks(), config.networks(),
                        NetworkSet::parse);
                return new UnapprovedNetworkRule(r.name(), severity, networks);
            }
        }
    }

    private Group<NameSet> users(String where, String name) {
        return group(where + ".users", "users", name, config.users(), (w, l) -> NameSet.of(l));
    }

    /** Looks a group up by name in its section and compiles it. */
    private static <V, T> Group<T> group(String where, String section, String name, Map<String, V> groups,
            BiFunction<String, V, T> compile) {
        V value = groups.get(name);
        if (value == null) {
            throw new IllegalArgumentException(where + ": " + name + " (expected one of the groups." + section + ": "
                    + (groups.isEmpty() ? "none defined" : String.join(", ", groups.keySet().stream().sorted().toList()))
                    + ")");
        }
        return new Group<>(name, compile.apply("groups." + section + "." + name, value));
    }

    private static void checkFields(String where, PolicyConfig.Rule r, List<String> allowed, List<String> required) {
        Map<String, Boolean> present = new java.util.LinkedHashMap<>();
        present.put("users", r.users() != null);
        present.put("applications", r.applications() != null);
        present.put("networks", r.networks() != null);
        present.put("tables", r.tables() != null);
        present.put("hours", r.hours() != null);
        present.put("windows", r.windows() != null);
        present.put("operations", r.operations() != null && !r.operations().isEmpty());
        present.put("think_time", r.thinkTimeMicros() > 0);
        present.put("interactive_statements", r.interactiveStatements() > 0);
        for (Map.Entry<String, Boolean> e : present.entrySet()) {
            if (e.getValue() && !allowed.contains(e.getKey())) {
                throw new IllegalArgumentException(where + "." + e.getKey() + ": not used by kind " + r.kind()
                        + " (expected: name, kind, severity, " + String.join(", ", allowed) + ")");
            }
        }
        for (String k : required) {
            if (!present.get(k)) {
                throw new IllegalArgumentException(where + "." + k + ": missing (expected: a group name for kind "
                        + r.kind() + ")");
            }
        }
    }

    private static Severity severity(String where, String s) {
        for (Severity v : Severity.values()) {
            if (v.json().equals(s == null ? null : s.toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        throw new IllegalArgumentException(where + ": " + s + " (expected: info, low, medium, high or critical)");
    }

    private static String describe(PolicyConfig.Hours h) {
        return (h.days() == null || h.days().isEmpty() ? "every day" : String.join(",", h.days())) + ' ' + h.from()
                + '-' + h.to() + ' ' + h.timeZone();
    }
}
