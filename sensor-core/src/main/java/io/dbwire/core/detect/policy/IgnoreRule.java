package io.dbwire.core.detect.policy;

import io.dbwire.core.config.PolicyConfig;
import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Known noise, dropped before any detector sees it: a record matches when every field the rule states matches
 * (within a field, any value). Clients and servers are CIDRs or network groups (servers may end in
 * {@code :port}); users, applications and operations are names with {@code *}; fingerprints exact; statements
 * compared with the record's text with case and runs of spaces ignored (normalised text: {@code SELECT ?}).
 */
final class IgnoreRule {
    private final NetworkSet clients;
    private final List<IpPort> servers;
    private final NameSet users;
    private final NameSet applications;
    private final List<String> fingerprints;
    private final List<String> statements;
    private final NameSet operations;

    private record IpPort(NetworkSet network, int port) {}

    private IgnoreRule(NetworkSet clients, List<IpPort> servers, NameSet users, NameSet applications,
            List<String> fingerprints, List<String> statements, NameSet operations) {
        this.clients = clients;
        this.servers = servers;
        this.users = users;
        this.applications = applications;
        this.fingerprints = fingerprints;
        this.statements = statements;
        this.operations = operations;
    }

    static IgnoreRule compile(String where, PolicyConfig.Ignore i, Map<String, List<String>> networkGroups) {
        if (empty(i.clients()) && empty(i.servers()) && empty(i.users()) && empty(i.applications())
                && empty(i.fingerprints()) && empty(i.statements()) && empty(i.operations())) {
            throw new IllegalArgumentException(where + ": matches every record (expected: at least one of clients,"
                    + " servers, users, applications, fingerprints, statements, operations)");
        }
        NetworkSet clients = empty(i.clients()) ? null
                : NetworkSet.parse(where + ".clients", expand(i.clients(), networkGroups));
        List<IpPort> servers = null;
        if (!empty(i.servers())) {
            servers = new ArrayList<>();
            for (int k = 0; k < i.servers().size(); k++) {
                servers.add(server(where + ".servers[" + k + "]", i.servers().get(k), networkGroups));
            }
        }
        List<String> statements = empty(i.statements()) ? null
                : i.statements().stream().map(IgnoreRule::squeeze).toList();
        return new IgnoreRule(clients, servers,
                empty(i.users()) ? null : NameSet.of(i.users()),
                empty(i.applications()) ? null : NameSet.of(i.applications()),
                empty(i.fingerprints()) ? null : List.copyOf(i.fingerprints()), statements,
                empty(i.operations()) ? null : NameSet.of(i.operations()));
    }

    boolean matches(TransactionRecord r) {
        if (clients != null && !clients.contains(r.client().ip())) {
            return false;
        }
        if (servers != null && servers.stream().noneMatch(
                s -> s.network().contains(r.server().ip()) && (s.port() < 0 || s.port() == r.server().port()))) {
            return false;
        }
        if (users != null && !users.contains(r.session().user())) {
            return false;
        }
        if (applications != null && !applications.contains(r.session().application())) {
            return false;
        }
        boolean needsStatement = fingerprints != null || statements != null || operations != null;
        if (needsStatement && r.statement() == null) {
            return false;
        }
        if (fingerprints != null && !fingerprints.contains(r.statement().fingerprint())) {
            return false;
        }
        if (statements != null && (r.statement().text() == null
                || !statements.contains(squeeze(r.statement().text())))) {
            return false;
        }
        return operations == null || operations.contains(r.statement().operation());
    }

    /** A network group's CIDRs in place of its name; anything else is a CIDR itself. */
    private static List<String> expand(List<String> items, Map<String, List<String>> groups) {
        List<String> out = new ArrayList<>();
        for (String s : items) {
            out.addAll(groups.getOrDefault(s, List.of(s)));
        }
        return out;
    }

    private static IpPort server(String where, String text, Map<String, List<String>> groups) {
        int port = -1;
        String addr = text;
        int colon = text.lastIndexOf(':');
        // "10.0.0.1:5432" or "[2001:db8::1]:5432" or a group "rds:5432"; a bare IPv6 address has no port
        if (colon > 0 && (text.indexOf(':') == colon || text.startsWith("["))) {
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": " + text + " (expected: CIDR or group, with :port)");
            }
            addr = text.substring(0, colon).replace("[", "").replace("]", "");
        }
        return new IpPort(NetworkSet.parse(where, expand(List.of(addr), groups)), port);
    }

    private static String squeeze(String s) {
        return s.trim().replaceAll("\\s+", " ").replaceAll(";$", "").toLowerCase(Locale.ROOT);
    }

    private static boolean empty(List<String> l) {
        return l == null || l.isEmpty();
    }
}
