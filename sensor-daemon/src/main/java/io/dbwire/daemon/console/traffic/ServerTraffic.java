package io.dbwire.daemon.console.traffic;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbwire.core.record.Endpoint;
import io.dbwire.core.record.TransactionRecord;

/** One database server: its traffic, who talks to it, and its statements. */
final class ServerTraffic {
    static final int MAX_NAMES = 1_000;
    static final int MAX_FINGERPRINTS = 200;
    /** Rows of each table shown by the console; the tables themselves keep more. */
    static final int SHOWN = 50;

    private final Endpoint server;
    private final String protocol;
    private final Traffic traffic = new Traffic();
    private final ActivityTable clients = new ActivityTable(MAX_NAMES);
    private final ActivityTable users = new ActivityTable(MAX_NAMES);
    private final ActivityTable applications = new ActivityTable(MAX_NAMES);
    private final FingerprintTable fingerprints = new FingerprintTable(MAX_FINGERPRINTS);
    private int vni;

    ServerTraffic(Endpoint server, String protocol) {
        this.server = server;
        this.protocol = protocol;
    }

    void connectionOpened() {
        traffic.connectionOpened();
    }

    void observe(TransactionRecord r) {
        vni = r.vni();
        traffic.observe(r);
        clients.observe(r.client().ip(), r);
        users.observe(r.session().user(), r);
        applications.observe(r.session().application(), r);
        fingerprints.observe(r);
    }

    Traffic traffic() {
        return traffic;
    }

    long untracked() {
        return clients.untracked() + users.untracked() + applications.untracked();
    }

    long fingerprintsEvicted() {
        return fingerprints.evicted();
    }

    ObjectNode toJson(JsonNodeFactory f, long nowMicros) {
        ObjectNode o = f.objectNode();
        o.put("id", server.ip() + ":" + server.port());
        o.put("ip", server.ip());
        o.put("port", server.port());
        o.put("protocol", protocol);
        o.put("vni", vni);
        o.set("traffic", traffic.toJson(f, nowMicros));
        o.put("client_count", clients.size());
        o.put("user_count", users.size());
        o.put("fingerprint_count", fingerprints.size());
        o.set("clients", clients.toJson(f, SHOWN));
        o.set("users", users.toJson(f, SHOWN));
        o.set("applications", applications.toJson(f, SHOWN));
        o.set("fingerprints", fingerprints.toJson(f, SHOWN));
        return o;
    }
}
