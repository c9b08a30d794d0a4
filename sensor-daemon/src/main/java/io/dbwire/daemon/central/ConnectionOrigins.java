package io.dbwire.daemon.central;

import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which sensor a connection id belongs to. Connection ids are numbered by each sensor on its own, so two sensors'
 * connection 14 are different connections: before a record reaches detection its id is made unique across the
 * fleet by putting the sensor's index above the sensor's own id, and an alert's ids are turned back into the
 * sensors' own before the alert is written, with the sensors named beside them. Sensor names are kept for the life
 * of the process (a fleet has tens of sensors, the bound is {@value #MAX_SENSORS}); beyond the bound sensors share
 * index 0, shown as {@value #UNKNOWN}. Thread-safe: alerts may be rendered on output threads.
 */
final class ConnectionOrigins {
    static final int MAX_SENSORS = 1 << 16;
    static final String UNKNOWN = "?";
    /** Bits kept of a sensor's own connection id; sensors number connections from 1 upwards. */
    private static final int LOCAL_BITS = 40;
    private static final long LOCAL_MASK = (1L << LOCAL_BITS) - 1;

    private final Map<String, Integer> indexes = new ConcurrentHashMap<>();
    private final List<String> names = new CopyOnWriteArrayList<>(List.of(UNKNOWN));

    /** The sensor's index, assigned on first sight; 0 for a null name or beyond the bound. */
    int index(String sensor) {
        if (sensor == null) {
            return 0;
        }
        Integer known = indexes.get(sensor);
        if (known != null) {
            return known;
        }
        synchronized (this) {
            return indexes.computeIfAbsent(sensor, s -> {
                if (names.size() >= MAX_SENSORS) {
                    return 0;
                }
                names.add(s);
                return names.size() - 1;
            });
        }
    }

    String name(int index) {
        return index < names.size() ? names.get(index) : UNKNOWN;
    }

    /** The record with its connection id made unique across sensors. */
    TransactionRecord fleetWide(TransactionRecord r, int sensorIndex) {
        long id = ((long) sensorIndex << LOCAL_BITS) | (r.connectionId() & LOCAL_MASK);
        return r.toBuilder().connection(id, r.vni()).build();
    }

    /** The sensor index a fleet-wide connection id carries. */
    static int sensorOf(long fleetWideId) {
        return (int) (fleetWideId >>> LOCAL_BITS);
    }

    /**
     * The alert as the sensors would name its connections: {@code connection_ids} are the sensors' own again, and
     * {@code observed} gains {@code sensors} (every sensor whose records of the alert's entity fall in its window,
     * {@code sawEntity}, and those of its connections) and {@code connections} ({@code sensor/connection_id} each).
     */
    Alert sensorsOwn(Alert a, List<Integer> sawEntity) {
        List<Long> local = new ArrayList<>();
        Set<String> sensors = new LinkedHashSet<>();
        List<String> connections = new ArrayList<>();
        for (long id : a.connectionIds()) {
            String sensor = name(sensorOf(id));
            long own = id & LOCAL_MASK;
            local.add(own);
            sensors.add(sensor);
            connections.add(sensor + "/" + own);
        }
        for (int s : sawEntity) {
            sensors.add(name(s));
        }
        if (sensors.isEmpty()) {
            return a;
        }
        Map<String, Object> observed = new LinkedHashMap<>(a.observed());
        observed.put("sensors", String.join(",", sensors));
        observed.put("connections", String.join(",", connections));
        return new Alert(a.tsMicros(), a.id(), a.detection(), a.severity(), a.summary(), a.mitre(), a.score(),
                a.clientIp(), a.server(), a.user(), a.database(), a.windowStartMicros(), a.windowEndMicros(), observed,
                a.baseline(), a.evidence(), a.folded(), local, a.flowClient());
    }
}
