package io.dbwire.daemon.health;

import io.dbwire.core.record.Endpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Monitored servers as seen through their records: count, first and last record time (packet time). Records come
 * from one or several pipeline threads; beyond {@code capacity} servers new ones are only counted.
 */
public final class ServerTable {
    private final int capacity;
    private final Map<Endpoint, Entry> servers = new ConcurrentHashMap<>();
    private final AtomicLong untracked = new AtomicLong();

    public ServerTable(int capacity) {
        this.capacity = capacity;
    }

    public void record(Endpoint server, long micros) {
        record(server, micros, null);
    }

    /** @param durationMicros the statement's duration, or null when the record has none (logins, incomplete) */
    public void record(Endpoint server, long micros, Long durationMicros) {
        if (server == null) {
            return;
        }
        Entry e = servers.get(server);
        if (e == null) {
            if (servers.size() >= capacity) {
                untracked.incrementAndGet();
                return;
            }
            e = servers.computeIfAbsent(server, s -> new Entry(micros));
        }
        e.records.incrementAndGet();
        e.last.accumulateAndGet(micros, Math::max);
        if (durationMicros != null) {
            e.latency.observe(durationMicros);
        }
    }

    /** Each server's duration histogram, by its label ({@code ip:port}). */
    public Map<String, LatencyHistogram> latencies() {
        Map<String, LatencyHistogram> out = new java.util.TreeMap<>();
        servers.forEach((server, e) -> out.put(label(server), e.latency));
        return out;
    }

    private static String label(Endpoint server) {
        return server.ip().contains(":") ? "[" + server.ip() + "]:" + server.port() : server.ip() + ":" + server.port();
    }

    public long untracked() {
        return untracked.get();
    }

    public List<Activity> snapshot() {
        List<Activity> out = new ArrayList<>();
        servers.forEach((server, e) -> {
            Map<String, String> labels = new LinkedHashMap<>();
            String label = label(server);
            labels.put("server", label);
            out.add(new Activity("server", "server=" + label, labels, e.first, e.last.get(), e.records.get(), 0));
        });
        return out;
    }

    private static final class Entry {
        final long first;
        final AtomicLong records = new AtomicLong();
        final AtomicLong last = new AtomicLong();
        final LatencyHistogram latency = new LatencyHistogram();

        Entry(long first) {
            this.first = first;
        }
    }
}
