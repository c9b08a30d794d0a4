package io.dbwire.core.config;

import java.util.List;
import java.util.Map;

/**
 * The DAM policy (config/policy.yml, docs/alerts.md "Policy") as plain values: named groups, rules over them,
 * ignore rules and the statement allow-list. The daemon reads and checks the file; {@code detect.policy} compiles
 * these values into matchers. A null map or list means empty.
 *
 * @param users        user groups: group name → database user names ({@code *} matches any run of characters)
 * @param applications application groups: group name → application names / MySQL program names (globs as users)
 * @param networks     network groups: group name → CIDRs (IPv4 or IPv6)
 * @param tables       table groups: group name → {@code table}, {@code schema.table}, optionally followed by
 *                     {@code (column, column)}
 * @param hours        business-hours groups: group name → weekly hours in a time zone
 * @param windows      change-window groups: group name → weekly slots and one-off spans in a time zone
 * @param rules        the rules, each over groups
 * @param ignore       records matching any of these are dropped before detection (known noise)
 * @param allowlist    the learnt statement allow-list
 */
public record PolicyConfig(
        Map<String, List<String>> users,
        Map<String, List<String>> applications,
        Map<String, List<String>> networks,
        Map<String, List<String>> tables,
        Map<String, Hours> hours,
        Map<String, Windows> windows,
        List<Rule> rules,
        List<Ignore> ignore,
        AllowList allowlist) {

    /** No policy: no rules, nothing ignored, allow-list off. */
    public static final PolicyConfig NONE = new PolicyConfig(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
            Map.of(), List.of(), List.of(), new AllowList("off", List.of()));

    public PolicyConfig {
        users = users == null ? Map.of() : Map.copyOf(users);
        applications = applications == null ? Map.of() : Map.copyOf(applications);
        networks = networks == null ? Map.of() : Map.copyOf(networks);
        tables = tables == null ? Map.of() : Map.copyOf(tables);
        hours = hours == null ? Map.of() : Map.copyOf(hours);
        windows = windows == null ? Map.of() : Map.copyOf(windows);
        rules = rules == null ? List.of() : List.copyOf(rules);
        ignore = ignore == null ? List.of() : List.copyOf(ignore);
        allowlist = allowlist == null ? new AllowList("off", List.of()) : allowlist;
    }

    /**
     * Weekly hours: on {@code days} from {@code from} (inclusive) to {@code to} (exclusive), local time in
     * {@code timeZone}; {@code to} before {@code from} runs past midnight.
     *
     * @param timeZone an IANA zone id ({@code Europe/Berlin}) or {@code UTC}; null inside {@link Windows} = the
     *                 window's zone
     * @param days     {@code mon} … {@code sun}, or ranges such as {@code mon-fri}; null = every day
     * @param from     {@code HH:mm}
     * @param to       {@code HH:mm}; {@code 24:00} = end of day
     */
    public record Hours(String timeZone, List<String> days, String from, String to) {}

    /** A one-off span, local date-times {@code yyyy-MM-ddTHH:mm} in the window's zone; {@code to} exclusive. */
    public record Span(String from, String to) {}

    /** Change windows: recurring weekly slots and one-off spans, in {@code timeZone}. */
    public record Windows(String timeZone, List<Hours> weekly, List<Span> once) {}

    /**
     * One rule. Which group fields a kind uses is listed in docs/alerts.md; the others are null.
     *
     * @param name                  the operator's name for it, shown in {@code observed.rule}
     * @param kind                  {@code privileged_off_hours}, {@code sensitive_first_read},
     *                              {@code change_outside_window}, {@code human_tool}, {@code unapproved_network}
     * @param severity              {@code info} … {@code critical}
     * @param operations            statement operations ({@code change_outside_window}); empty = its defaults
     * @param thinkTimeMicros       {@code human_tool}: a pause between statements this long looks like typing
     * @param interactiveStatements {@code human_tool}: this many such pauses on one connection make it interactive
     *                              (0 = timing not used)
     */
    public record Rule(String name, String kind, String severity, String users, String applications,
            String networks, String tables, String hours, String windows, List<String> operations,
            long thinkTimeMicros, int interactiveStatements) {}

    /**
     * Known noise. A record matches when every non-empty list has a value that matches it (lists are ORs, fields
     * are ANDs). Clients and servers are CIDRs or network group names; servers may add {@code :port}.
     */
    public record Ignore(String name, List<String> clients, List<String> servers, List<String> users,
            List<String> applications, List<String> fingerprints, List<String> statements, List<String> operations) {}

    /**
     * The statement allow-list.
     *
     * @param mode    {@code off}, {@code learn}, {@code warn} or {@code enforce-alert}
     * @param entries imported entries (the exported file)
     */
    public record AllowList(String mode, List<AllowEntry> entries) {
        public AllowList {
            entries = entries == null ? List.of() : List.copyOf(entries);
        }
    }

    /** The statements allowed for one (server, user, application); null user or application = not seen. */
    public record AllowEntry(String server, String user, String application, List<String> fingerprints) {
        public AllowEntry {
            fingerprints = fingerprints == null ? List.of() : List.copyOf(fingerprints);
        }
    }
}
