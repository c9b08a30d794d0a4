package io.dbwire.core.detect.policy;

import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.detector.DetectContext;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.TransactionRecord;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code policy_change_outside_window}: a schema or privilege change (by default CREATE, ALTER, DROP, TRUNCATE,
 * RENAME, GRANT, REVOKE — CREATE ROLE and ALTER USER included) outside every change window of its group. Failed
 * statements count too: an attempt is what the rule is about.
 */
final class ChangeOutsideWindowRule implements PolicyRule {
    static final String DETECTION = "policy_change_outside_window";
    static final List<String> DEFAULT_OPERATIONS =
            List.of("CREATE", "ALTER", "DROP", "TRUNCATE", "RENAME", "GRANT", "REVOKE");

    private final String name;
    private final Severity severity;
    private final Group<ChangeWindows> windows;
    private final Set<String> operations;
    private final Group<NameSet> users;

    /** @param users only these users' changes, or null for everyone's */
    ChangeOutsideWindowRule(String name, Severity severity, Group<ChangeWindows> windows, List<String> operations,
            Group<NameSet> users) {
        this.name = name;
        this.severity = severity;
        this.windows = windows;
        this.operations = Set.copyOf(operations.stream().map(o -> o.toUpperCase(Locale.ROOT)).toList());
        this.users = users;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void observe(TransactionRecord r, long nowMicros, DetectContext ctx) {
        if (r.kind() != RecordKind.STATEMENT || r.statement() == null
                || !operations.contains(r.statement().operation())
                || (users != null && !users.value().contains(r.session().user()))
                || windows.value().contains(r.tsMicros())) {
            return;
        }
        String op = r.statement().operation();
        boolean privilege = "GRANT".equals(op) || "REVOKE".equals(op) || mentionsAccount(r.statement().text());
        ctx.raise(RuleAlert.draft(ctx, DETECTION, privilege ? "T1098" : "T1565", name, "change_outside_window",
                        severity, r, nowMicros, RuleAlert.where(r) + '|' + RuleAlert.user(r) + '|'
                                + r.statement().fingerprint())
                .summary(op + " by " + RuleAlert.user(r) + " on " + RuleAlert.where(r) + " outside change window "
                        + windows.name() + " (rule " + name + ")")
                .observed("operation", op)
                .observed("fingerprint", r.statement().fingerprint())
                .observed("status", r.status().name().toLowerCase(Locale.ROOT))
                .baseline("windows_group", windows.name())
                .baseline("operations", String.join(",", operations.stream().sorted().toList())), nowMicros);
    }

    private static boolean mentionsAccount(String text) {
        if (text == null) {
            return false;
        }
        String t = text.toUpperCase(Locale.ROOT);
        return t.contains(" ROLE ") || t.contains(" USER ") || t.endsWith(" ROLE") || t.contains("PASSWORD");
    }
}
