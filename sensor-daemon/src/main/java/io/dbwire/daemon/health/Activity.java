package io.dbwire.daemon.health;

import java.util.Map;

/**
 * What one traffic origin did so far: a mirror source (VNI and outer source address) or a monitored server.
 *
 * @param kind        {@code source} or {@code server}
 * @param key         stable identity, e.g. {@code vni=4242,source=10.0.1.5} or {@code server=10.0.2.7:5432}
 * @param labels      the same as metric labels, in order
 * @param firstMicros time of the first packet or record
 * @param lastMicros  time of the latest one
 * @param count       packets (source) or records (server)
 * @param bytes       bytes of those packets; 0 for servers
 */
public record Activity(String kind, String key, Map<String, String> labels, long firstMicros, long lastMicros,
        long count, long bytes) {

    /** Mean time between two observations so far, or -1 with fewer than two. */
    public long usualIntervalMicros() {
        return count < 2 ? -1 : (lastMicros - firstMicros) / (count - 1);
    }
}
