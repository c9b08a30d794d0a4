package io.dbwire.core.detect.detector;

import io.dbwire.core.detect.alert.AlertDraft;
import io.dbwire.core.detect.alert.EntityKey;
import io.dbwire.core.detect.alert.Evidence;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.engine.WindowClock;
import io.dbwire.core.detect.state.StateTree;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.util.Timestamps;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code new_user}: a database user never seen on a server, once that server's learning period is over. Only a
 * user that got in counts (a successful login, or a statement): the user names a brute force tries are
 * {@code auth_bruteforce}'s business, and would flood this one. MITRE T1078 Valid Accounts.
 */
public final class NewUserDetector implements Detector {
    static final String NAME = "new_user";
    static final String MITRE = "T1078";
    /** Built-in administrative accounts: a first use of one after learning is MEDIUM (T1078.001 Default Accounts). */
    static final Set<String> ADMIN_USERS = Set.of("postgres", "root", "admin", "administrator", "sa", "rdsadmin",
            "azure_superuser", "cloudsqladmin", "mysql.sys", "debian-sys-maint");

    private final long learningMicros;
    private final FirstSeen<EntityKey.Server> servers;
    private final FirstSeen<EntityKey.User> users;

    public NewUserDetector(DetectContext ctx) {
        this.learningMicros = ctx.config().learningPeriodMicros();
        this.servers = new FirstSeen<>(ctx);
        this.users = new FirstSeen<>(ctx);
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
        String user = r.session().user();
        boolean in = r.kind() == RecordKind.STATEMENT
                || (r.kind() == RecordKind.LOGIN && r.status() == RecordStatus.OK);
        if (!in) {
            return;
        }
        EntityKey.Server server = ctx.keys().server(r.server());
        long serverFirst = servers.touch(server, nowMicros);
        if (user == null) {
            return; // mid-stream: identity unseen, never guessed
        }
        EntityKey.User key = ctx.keys().user(r.server(), user);
        int knownBefore = users.size();
        if (users.touch(key, nowMicros) != Long.MIN_VALUE) {
            return;
        }
        if (serverFirst == Long.MIN_VALUE || !WindowClock.learningOver(serverFirst, nowMicros, learningMicros)) {
            return;
        }
        boolean admin = ADMIN_USERS.contains(user.toLowerCase(java.util.Locale.ROOT));
        long bucket = ctx.clock().bucketStart(nowMicros);
        AlertDraft d = ctx.draft(NAME, admin ? "T1078.001" : MITRE)
                .severity(admin ? Severity.MEDIUM : Severity.LOW)
                .score(admin ? 50 : 30)
                .summary("new user " + Evidence.name(user) + " on server " + EntityKey.endpoint(r.server())
                        + " from " + r.client().ip())
                .entity(key)
                .client(r.client().ip())
                .server(r.server())
                .user(user)
                .database(r.session().database())
                .window(bucket, bucket + ctx.clock().bucketMicros())
                .observed("first_seen", Timestamps.formatMicros(nowMicros))
                .observed("first_kind", r.kind().json())
                .observed("admin_account", admin)
                .baseline("known_users", knownBefore)
                .baseline("learning_seconds", learningMicros / 1_000_000L)
                .rule(admin ? "first_seen_admin" : "first_seen")
                .learnt(nowMicros - serverFirst, knownBefore)
                .evidence(r, Evidence.of(r));
        ctx.raise(d, nowMicros);
    }

    @Override
    public Object snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("servers", servers.snapshot());
        m.put("users", users.snapshot());
        return m;
    }

    @Override
    public void restore(Object tree) {
        Map<String, Object> m = StateTree.map(tree, NAME);
        servers.restore(m.get("servers"));
        users.restore(m.get("users"));
    }
}
