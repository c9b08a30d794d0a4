package io.dbwire.daemon.console.traffic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.record.Endpoint;
import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the console shows, reduced from records and alerts as they go by: traffic per mirror source (VNI) and per
 * server, who talks to each server, its statement fingerprints, the recent alerts. Series run on the records'
 * packet time. Every table is bounded; what a bound turned away is counted and shown.
 *
 * <p>Not thread-safe by itself: {@link ConsoleFeed} feeds it in batches and snapshots it under one lock, and
 * {@code replay --report} uses it from one thread.
 */
public final class TrafficAggregator {
    static final int MAX_SOURCES = 64;
    static final int MAX_SERVERS = 256;
    /** Connection ids remembered to count each connection once; an older one seen again counts again. */
    static final int MAX_CONNECTIONS = 65_536;
    static final int MAX_ALERTS = 500;
    /** Servers in one snapshot, busiest first. */
    static final int SHOWN_SERVERS = 100;

    private final Map<Integer, Traffic> sources = new HashMap<>();
    private final Map<Endpoint, ServerTraffic> servers = new HashMap<>();
    private final Map<Long, Boolean> connections = new LinkedHashMap<>(1_024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > MAX_CONNECTIONS;
        }
    };
    private final AlertRing alerts = new AlertRing(MAX_ALERTS);
    private long records;
    private long sourcesUntracked;
    private long serversUntracked;

    public void accept(TransactionRecord r) {
        records++;
        Traffic source = source(r.vni());
        ServerTraffic server = server(r);
        if (connections.put(r.connectionId(), Boolean.TRUE) == null) {
            if (source != null) {
                source.connectionOpened();
            }
            if (server != null) {
                server.connectionOpened();
            }
        }
        if (source != null) {
            source.observe(r);
        }
        if (server != null) {
            server.observe(r);
        }
    }

    public void accept(Alert a) {
        alerts.add(a);
    }

    private Traffic source(int vni) {
        Traffic t = sources.get(vni);
        if (t == null) {
            if (sources.size() >= MAX_SOURCES) {
                sourcesUntracked++;
                return null;
            }
            t = new Traffic();
            sources.put(vni, t);
        }
        return t;
    }

    private ServerTraffic server(TransactionRecord r) {
        ServerTraffic s = servers.get(r.server());
        if (s == null) {
            if (servers.size() >= MAX_SERVERS) {
                serversUntracked++;
                return null;
            }
            s = new ServerTraffic(r.server(), r.protocol());
            servers.put(r.server(), s);
        }
        return s;
    }

    /** The latest packet time seen in a record, or 0 before any. */
    public long lastPacketMicros() {
        long last = 0;
        for (Traffic t : sources.values()) {
            last = Math.max(last, t.lastMicros());
        }
        return last;
    }

    /**
     * Everything the console shows, as of {@code nowMicros} (the wall clock in {@code run}, the end of the capture
     * in a report): rates and series end there.
     */
    public ObjectNode snapshot(JsonNodeFactory f, long nowMicros) {
        ObjectNode o = f.objectNode();
        o.put("now_us", nowMicros);
        o.put("records", records);
        ArrayNode src = o.putArray("sources");
        List<Map.Entry<Integer, Traffic>> bySource = new ArrayList<>(sources.entrySet());
        bySource.sort(Map.Entry.comparingByKey());
        long late = 0;
        for (Map.Entry<Integer, Traffic> e : bySource) {
            ObjectNode s = src.addObject();
            s.put("vni", e.getKey());
            s.set("traffic", e.getValue().toJson(f, nowMicros));
            late += e.getValue().late();
        }
        List<ServerTraffic> busiest = new ArrayList<>(servers.values());
        busiest.sort(Comparator.comparingLong((ServerTraffic s) -> s.traffic().statements()).reversed());
        ArrayNode srv = o.putArray("servers");
        long untracked = 0;
        long evicted = 0;
        for (ServerTraffic s : servers.values()) {
            untracked += s.untracked();
            evicted += s.fingerprintsEvicted();
        }
        for (ServerTraffic s : busiest.subList(0, Math.min(SHOWN_SERVERS, busiest.size()))) {
            srv.add(s.toJson(f, nowMicros));
        }
        o.set("alerts", alerts.toJson(f));
        o.set("alert_counts", alerts.countsJson(f));
        ObjectNode bounds = o.putObject("bounds");
        bounds.put("sources_untracked", sourcesUntracked);
        bounds.put("servers_untracked", serversUntracked);
        bounds.put("servers_not_shown", Math.max(0, busiest.size() - SHOWN_SERVERS));
        bounds.put("names_untracked", untracked);
        bounds.put("fingerprints_evicted", evicted);
        bounds.put("alerts_dropped", alerts.dropped());
        bounds.put("records_older_than_series", late);
        return o;
    }
}
