package io.dbwire.core.detect.detector;

import io.dbwire.core.detect.alert.AlertDraft;
import io.dbwire.core.detect.alert.EntityKey;
import io.dbwire.core.detect.alert.Evidence;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.baseline.EntityKeys;
import io.dbwire.core.detect.engine.BoundedLru;
import io.dbwire.core.detect.engine.DetectEvent;
import io.dbwire.core.detect.engine.WindowClock;
import io.dbwire.core.detect.state.StateTree;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.util.Timestamps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tls_downgrade}: a clear-text session to a server whose sessions are otherwise encrypted. A session is
 * counted once, when it starts: a {@code tls} record is an encrypted one, a {@code login} record (readable, so
 * clear) a clear one; mid-stream pickups are not sessions. A server's baseline is TLS when, its learning period
 * over, it has at least {@link #MIN_SESSIONS} sessions and clear ones are at most {@link #MAX_CLEAR_SHARE}. A clear
 * session that alerts is not learned, so an attacker cannot teach the sensor clear text. HIGH when this client
 * used TLS to the server before (a downgrade or a stripped SSLRequest), MEDIUM when it never did.
 * MITRE T1557 Adversary-in-the-Middle.
 */
public final class TlsDowngradeDetector implements Detector {
    static final String NAME = "tls_downgrade";
    static final String MITRE = "T1557";
    /** Network Sniffing: what a clear-text password invites. */
    static final String MITRE_SNIFFING = "T1040";
    static final long MIN_SESSIONS = 20;
    static final double MAX_CLEAR_SHARE = 0.01;

    static final class ServerState {
        long firstSeenMicros;
        long tls;
        long clear;
    }

    private final long learningMicros;
    private final BoundedLru<EntityKey.Server, ServerState> servers;
    /** Pairs that used TLS at least once. */
    private final BoundedLru<EntityKey.ClientServer, Boolean> tlsPairs;

    public TlsDowngradeDetector(DetectContext ctx) {
        this.learningMicros = ctx.config().learningPeriodMicros();
        int max = ctx.config().maxEntities();
        this.servers = new BoundedLru<>(max, (k, v) -> ctx.counters().increment(DetectEvent.ENTITIES_EVICTED));
        this.tlsPairs = new BoundedLru<>(max, (k, v) -> ctx.counters().increment(DetectEvent.ENTITIES_EVICTED));
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
        if (r.kind() == RecordKind.LOGIN && r.session().clearTextPassword()) {
            raiseClearTextPassword(r, nowMicros, ctx);
        }
        boolean tls = r.kind() == RecordKind.TLS;
        boolean clear = r.kind() == RecordKind.LOGIN && !r.session().midStream() && !r.session().tls();
        if (!tls && !clear) {
            return;
        }
        EntityKey.Server key = ctx.keys().server(r.server());
        ServerState s = servers.get(key);
        if (s == null) {
            s = new ServerState();
            s.firstSeenMicros = nowMicros;
            servers.put(key, s);
        }
        EntityKey.ClientServer pair = ctx.keys().clientServer(r.client().ip(), r.server());
        if (tls) {
            s.tls++;
            tlsPairs.put(pair, Boolean.TRUE);
            return;
        }
        long total = s.tls + s.clear;
        boolean tlsBaseline = WindowClock.learningOver(s.firstSeenMicros, nowMicros, learningMicros)
                && total >= MIN_SESSIONS && s.clear <= MAX_CLEAR_SHARE * total;
        if (!tlsBaseline) {
            s.clear++;
            return;
        }
        boolean downgrade = tlsPairs.get(pair) != null;
        long bucket = ctx.clock().bucketStart(nowMicros);
        AlertDraft d = ctx.draft(NAME, MITRE)
                .severity(downgrade ? Severity.HIGH : Severity.MEDIUM)
                .score(downgrade ? 80 : 55)
                .summary("clear-text session from " + r.client().ip() + " to " + EntityKey.endpoint(r.server())
                        + " as " + Evidence.name(r.session().user()) + ", a server reached over TLS"
                        + (downgrade ? " (this client used TLS before)" : ""))
                .entity(pair)
                .client(r.client().ip())
                .server(r.server())
                .user(r.session().user())
                .database(r.session().database())
                .window(bucket, bucket + ctx.clock().bucketMicros())
                .observed("at", Timestamps.formatMicros(nowMicros))
                .observed("client_used_tls", downgrade)
                .observed("login_status", r.status().json())
                .baseline("tls_sessions", s.tls)
                .baseline("clear_sessions", s.clear)
                .rule(downgrade ? "downgrade" : "clear_session")
                .evidence(r, Evidence.login(r));
        ctx.raise(d, nowMicros);
    }

    /**
     * The server asked for the password in clear (PostgreSQL AuthenticationCleartextPassword, MySQL
     * mysql_clear_password) on a connection without TLS: anyone on the path reads it. Needs no baseline.
     */
    private void raiseClearTextPassword(TransactionRecord r, long nowMicros, DetectContext ctx) {
        EntityKey.ClientServer pair = ctx.keys().clientServer(r.client().ip(), r.server());
        long bucket = ctx.clock().bucketStart(nowMicros);
        AlertDraft d = ctx.draft(NAME, MITRE_SNIFFING)
                .severity(Severity.HIGH)
                .score(85)
                .summary("clear-text password authentication (" + r.session().authMethod() + ") from "
                        + r.client().ip() + " to " + EntityKey.endpoint(r.server()) + " as "
                        + Evidence.name(r.session().user()) + " without TLS")
                .entity(pair)
                .client(r.client().ip())
                .server(r.server())
                .user(r.session().user())
                .database(r.session().database())
                .window(bucket, bucket + ctx.clock().bucketMicros())
                .observed("at", Timestamps.formatMicros(nowMicros))
                .observed("auth_method", r.session().authMethod())
                .observed("login_status", r.status().json())
                .baseline("expected", "TLS or a challenge-response method")
                .rule("clear_text_password")
                .evidence(r, Evidence.login(r));
        ctx.raise(d, nowMicros);
    }

    @Override
    public Object snapshot() {
        List<Object> srv = new ArrayList<>();
        for (Map.Entry<EntityKey.Server, ServerState> e : servers.entries()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", EntityKeys.toTree(e.getKey()));
            m.put("first_seen", e.getValue().firstSeenMicros);
            m.put("tls", e.getValue().tls);
            m.put("clear", e.getValue().clear);
            srv.add(m);
        }
        List<Object> pairs = new ArrayList<>();
        for (Map.Entry<EntityKey.ClientServer, Boolean> e : tlsPairs.entries()) {
            pairs.add(EntityKeys.toTree(e.getKey()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("servers", srv);
        out.put("tls_pairs", pairs);
        return out;
    }

    @Override
    public void restore(Object tree) {
        Map<String, Object> in = StateTree.map(tree, NAME);
        for (Object o : StateTree.list(in.get("servers"), "servers")) {
            Map<String, Object> m = StateTree.map(o, "server");
            ServerState s = new ServerState();
            s.firstSeenMicros = StateTree.asLong(m.get("first_seen"), "first_seen");
            s.tls = StateTree.asLong(m.get("tls"), "tls");
            s.clear = StateTree.asLong(m.get("clear"), "clear");
            servers.put((EntityKey.Server) EntityKeys.fromTree(m.get("key")), s);
        }
        for (Object o : StateTree.list(in.get("tls_pairs"), "tls_pairs")) {
            tlsPairs.put((EntityKey.ClientServer) EntityKeys.fromTree(o), Boolean.TRUE);
        }
    }
}
