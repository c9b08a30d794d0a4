package io.dbwire.daemon.central;

import io.dbwire.core.record.Endpoint;
import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which sensors saw a client and server (and a server at all), and when last, in one partition: so that an alert
 * raised here names every sensor whose records of its entity fall in its window, not only the one connection the
 * detector cites. Bounded: the least recently seen entries go beyond {@code maxEntries}.
 */
final class SensorSightings {
    private final Map<String, Map<Integer, Long>> lastSeen;

    SensorSightings(int maxEntries) {
        this.lastSeen = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Map<Integer, Long>> eldest) {
                return size() > maxEntries;
            }
        };
    }

    void saw(TransactionRecord r, int sensor) {
        note(pair(r.client().ip(), r.server()), sensor, r.tsMicros());
        note(server(r.server()), sensor, r.tsMicros());
    }

    /** Sensor indexes that saw the entity (client and server; the server alone when there is no client) since. */
    List<Integer> since(String clientIp, Endpoint server, long sinceMicros) {
        if (server == null) {
            return List.of();
        }
        Map<Integer, Long> seen = lastSeen.get(clientIp == null ? server(server) : pair(clientIp, server));
        List<Integer> out = new ArrayList<>();
        if (seen != null) {
            seen.forEach((sensor, ts) -> {
                if (ts >= sinceMicros) {
                    out.add(sensor);
                }
            });
            out.sort(null);
        }
        return out;
    }

    private void note(String key, int sensor, long ts) {
        lastSeen.computeIfAbsent(key, k -> new HashMap<>(4)).merge(sensor, ts, Math::max);
    }

    private static String pair(String clientIp, Endpoint server) {
        return clientIp + "|" + server.ip() + "|" + server.port();
    }

    private static String server(Endpoint server) {
        return "|" + server.ip() + "|" + server.port();
    }
}
