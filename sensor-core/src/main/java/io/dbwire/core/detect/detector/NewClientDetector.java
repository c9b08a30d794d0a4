package io.dbwire.core.detect.detector;

import io.dbwire.core.detect.alert.AlertDraft;
import io.dbwire.core.detect.alert.EntityKey;
import io.dbwire.core.detect.alert.Evidence;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.baseline.AuthFailures;
import io.dbwire.core.detect.baseline.EntityKeys;
import io.dbwire.core.detect.engine.BoundedLru;
import io.dbwire.core.detect.engine.DetectEvent;
import io.dbwire.core.detect.engine.WindowClock;
import io.dbwire.core.detect.state.StateTree;
import io.dbwire.core.record.Endpoint;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.util.Timestamps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code new_client}: a client address talking to a database server for the first time, once that server's
 * learning period is over. Each server learns on its own, from the first record the sensor saw for it, so a
 * server that appears late does not flood alerts with its regular clients.
 *
 * <p>One alert per (client, server): the pair is remembered as known, which is the "forever" suppression. Known
 * pairs and servers are bounded by {@code maxEntities}; a pair evicted and seen again alerts again, a server
 * evicted and seen again learns again (the quiet side).
 */
public final class NewClientDetector implements Detector {
    static final String NAME = "new_client";
    /** MITRE ATT&CK T1078 Valid Accounts: an account used from somewhere it never was. */
    static final String MITRE = "T1078";
    static final double SCORE = 30;
    static final double SCORE_FAILED_LOGIN = 50;

    private final long learningMicros;
    /** Per server: when it was first seen and how many known pairs point at it. */
    static final class ServerState {
        final long firstSeenMicros;
        long knownClients;

        ServerState(long firstSeenMicros) {
            this.firstSeenMicros = firstSeenMicros;
        }
    }

    /** Heap of a known server or client-server pair: key, addresses and map entry. */
    static final int ENTRY_BYTES = 320;
    private final BoundedLru<Endpoint, ServerState> servers;
    /** Known pairs; the value is the pair's server state, so an eviction can keep its count right. */
    private final BoundedLru<EntityKey.ClientServer, ServerState> knownPairs;

    public NewClientDetector(DetectContext ctx) {
        this.learningMicros = ctx.config().learningPeriodMicros();
        int max = ctx.config().maxEntities();
        this.servers = new BoundedLru<>(max, (k, v) -> ctx.counters().increment(DetectEvent.ENTITIES_EVICTED),
                ctx.memory(), ENTRY_BYTES);
        this.knownPairs = new BoundedLru<>(max, (k, v) -> {
            v.knownClients--;
            ctx.counters().increment(DetectEvent.ENTITIES_EVICTED);
        }, ctx.memory(), ENTRY_BYTES);
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
        Endpoint server = r.server();
        ServerState state = servers.get(server);
        if (state == null) {
            state = new ServerState(nowMicros);
            servers.put(server, state);
        }
        EntityKey.ClientServer pair = ctx.keys().clientServer(r.client().ip(), server);
        ServerState known = knownPairs.get(pair);
        if (known == state) {
            return;
        }
        if (known != null) {
            // known under a server state that was evicted since: still known, move it to the live state
            known.knownClients--;
            knownPairs.put(pair, state);
            state.knownClients++;
            return;
        }
        long knownBefore = state.knownClients;
        knownPairs.put(pair, state);
        state.knownClients++;
        if (!WindowClock.learningOver(state.firstSeenMicros, nowMicros, learningMicros)) {
            ctx.counters().increment(DetectEvent.NEW_CLIENT_LEARNED);
            return;
        }
        boolean failedLogin = AuthFailures.isFailedLogin(r);
        long bucket = ctx.clock().bucketStart(nowMicros);
        AlertDraft d = ctx.draft(NAME, MITRE)
                .severity(failedLogin ? Severity.MEDIUM : Severity.LOW)
                .score(failedLogin ? SCORE_FAILED_LOGIN : SCORE)
                .summary("new client " + r.client().ip() + " for server " + EntityKey.endpoint(server)
                        + (failedLogin ? ", first contact a failed login" : ""))
                .entity(pair)
                .client(r.client().ip())
                .server(server)
                .user(r.session().user())
                .database(r.session().database())
                .window(bucket, bucket + ctx.clock().bucketMicros())
                .observed("first_seen", Timestamps.formatMicros(nowMicros))
                .observed("first_kind", r.kind().json())
                .observed("first_status", r.status().json())
                .baseline("known_clients", knownBefore)
                .baseline("learning_seconds", learningMicros / 1_000_000L)
                .rule(failedLogin ? "first_contact_failed_login" : "first_contact")
                .learnt(nowMicros - state.firstSeenMicros, knownBefore)
                .evidence(r, Evidence.of(r));
        ctx.raise(d, nowMicros);
    }

    @Override
    public Object snapshot() {
        List<Object> srv = new ArrayList<>();
        for (Map.Entry<Endpoint, ServerState> e : servers.entries()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("server", EntityKeys.endpoint(e.getKey()));
            m.put("first_seen", e.getValue().firstSeenMicros);
            srv.add(m);
        }
        List<Object> pairs = new ArrayList<>();
        for (Map.Entry<EntityKey.ClientServer, ServerState> e : knownPairs.entries()) {
            pairs.add(EntityKeys.toTree(e.getKey()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("servers", srv);
        out.put("pairs", pairs);
        return out;
    }

    @Override
    public void restore(Object tree) {
        Map<String, Object> in = StateTree.map(tree, NAME);
        for (Object o : StateTree.list(in.get("servers"), "servers")) {
            Map<String, Object> m = StateTree.map(o, "server");
            servers.put(EntityKeys.endpoint(m.get("server")),
                    new ServerState(StateTree.asLong(m.get("first_seen"), "first_seen")));
        }
        for (Object o : StateTree.list(in.get("pairs"), "pairs")) {
            EntityKey.ClientServer pair = (EntityKey.ClientServer) EntityKeys.fromTree(o);
            ServerState s = servers.get(pair.server());
            if (s == null) {
                s = new ServerState(Long.MIN_VALUE / 2); // server evicted before the snapshot: long learned
                servers.put(pair.server(), s);
            }
            knownPairs.put(pair, s);
            s.knownClients++;
        }
    }
}
