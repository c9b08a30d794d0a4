package io.dbwire.core.detect.detector;

import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.config.DetectionConfig.RiskyRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code risky_statement} rule list: built-in defaults, replaced as a whole by {@code risky_statement.rules}
 * in the configuration. Patterns run case-insensitively on the normalised text, where every literal is {@code ?}
 * (so they name functions and clauses, never values).
 */
final class RiskyRules {
    /** A rule ready to match. */
    record Compiled(String name, Pattern pattern, Severity severity, String mitre, boolean learnable) {}

    /** The built-in list; docs/alerts.md shows the same table. */
    static final List<RiskyRule> DEFAULTS = List.of(
            // T1005 Data from Local System: server files read through SQL
            new RiskyRule("server_file_read",
                    "\\b(pg_read_file|pg_read_binary_file|pg_ls_dir|pg_stat_file|lo_import|load_file)\\s*\\(",
                    "high", "T1005", false),
            // T1059 Command and Scripting Interpreter: a shell command run by the server
            new RiskyRule("server_program", "\\bCOPY\\b.*\\b(TO|FROM)\\s+PROGRAM\\b", "critical", "T1059", false),
            // T1074.001 Local Data Staging: table data written to a file on the server
            new RiskyRule("server_file_write",
                    "\\blo_export\\s*\\(|\\bINTO\\s+(OUTFILE|DUMPFILE)\\b|^\\s*COPY\\b.*\\bTO\\s+(\\?|E?')",
                    "high", "T1074.001", false),
            // T1190 Exploit Public-Facing Application: time-based blind SQL injection
            new RiskyRule("time_delay", "\\b(pg_sleep|pg_sleep_for|pg_sleep_until|sleep|benchmark)\\s*\\(",
                    "high", "T1190", false),
            // T1082 System Information Discovery: schema and account enumeration through the catalogs
            new RiskyRule("catalog_enumeration",
                    "\\b(information_schema|pg_catalog)\\s*\\.|\\bpg_(shadow|authid|user|roles|tables|namespace|class|attribute|proc)\\b|\\bmysql\\s*\\.\\s*user\\b",
                    "medium", "T1082", true),
            // T1098 Account Manipulation: privileges and roles changed
            new RiskyRule("privilege_change", "^\\s*(GRANT|REVOKE)\\b|\\bALTER\\s+(ROLE|USER)\\b", "high", "T1098",
                    false),
            // T1136 Create Account
            new RiskyRule("account_creation", "\\bCREATE\\s+(ROLE|USER)\\b", "high", "T1136", false),
            // T1485 Data Destruction: tables dropped or emptied by a user that does not do so normally
            new RiskyRule("destructive", "^\\s*(DROP\\s+(TABLE|DATABASE|SCHEMA)|TRUNCATE)\\b", "medium", "T1485",
                    true));

    private RiskyRules() {}

    /**
     * Compiles the configured rules, or the defaults when none are configured. A rule with a bad pattern or
     * severity is left out (the daemon's validator rejects them before this point).
     */
    static List<Compiled> compile(List<RiskyRule> configured) {
        List<RiskyRule> source = configured == null || configured.isEmpty() ? DEFAULTS : configured;
        List<Compiled> out = new ArrayList<>(source.size());
        for (RiskyRule r : source) {
            Severity s = severity(r.severity());
            if (s == null || r.name() == null || r.pattern() == null) {
                continue;
            }
            try {
                out.add(new Compiled(r.name(), Pattern.compile(r.pattern(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL),
                        s, r.mitre() == null ? "T1190" : r.mitre(), r.learnable()));
            } catch (PatternSyntaxException e) {
                // skipped: validated in the daemon
            }
        }
        return out;
    }

    static Severity severity(String json) {
        if (json == null) {
            return null;
        }
        for (Severity s : Severity.values()) {
            if (s.json().equals(json.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        return null;
    }
}
