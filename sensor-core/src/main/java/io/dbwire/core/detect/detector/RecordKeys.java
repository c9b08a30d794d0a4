package io.dbwire.core.detect.detector;

import io.dbwire.core.detect.alert.EntityKey;
import io.dbwire.core.detect.alert.InternedKeys;
import io.dbwire.core.record.Endpoint;

/**
 * The entity keys of the record being observed, looked up once for all detectors rather than by each (a
 * statement asked {@link InternedKeys} for its client/server pair four times, its user three times). Each key is
 * remembered with the objects it was made from, compared by identity: a connection's records share their
 * {@link Endpoint}s and session strings, so a record of the same connection (or any record naming the same
 * objects) gets the key without hashing anything. Other objects go to {@link InternedKeys}, so a key is always
 * equal to the one built directly. One per detection engine, on its thread.
 */
public final class RecordKeys {
    private String pairClientIp;
    private Endpoint pairServer;
    private EntityKey.ClientServer pair;
    private Endpoint serverOf;
    private EntityKey.Server server;
    private Endpoint userServer;
    private String userName;
    private EntityKey.User user;
    /**
     * Fingerprint keys by the fingerprint string's identity, direct-mapped: a connection's statements interleave
     * a few dozen fingerprints, so remembering only the last one would hardly ever hit. A slot holds the last
     * key whose string and server mapped to it.
     */
    private static final int FINGERPRINT_SLOTS = 256;
    private final String[] fingerprintOf = new String[FINGERPRINT_SLOTS];
    private final Endpoint[] fingerprintServer = new Endpoint[FINGERPRINT_SLOTS];
    private final EntityKey.Fingerprint[] fingerprints = new EntityKey.Fingerprint[FINGERPRINT_SLOTS];

    // == on purpose below: an identical object is the cheap, certain hit; an equal one is InternedKeys' business

    public EntityKey.ClientServer clientServer(String clientIp, Endpoint server) {
        if (clientIp != pairClientIp || server != pairServer || pair == null) {
            pair = InternedKeys.clientServer(clientIp, server);
            pairClientIp = clientIp;
            pairServer = server;
        }
        return pair;
    }

    public EntityKey.Server server(Endpoint endpoint) {
        if (endpoint != serverOf || server == null) {
            server = InternedKeys.server(endpoint);
            serverOf = endpoint;
        }
        return server;
    }

    public EntityKey.User user(Endpoint server, String name) {
        if (server != userServer || name != userName || user == null) {
            user = InternedKeys.user(server, name);
            userServer = server;
            userName = name;
        }
        return user;
    }

    public EntityKey.Fingerprint fingerprint(Endpoint server, String fingerprint) {
        int slot = (System.identityHashCode(fingerprint) ^ System.identityHashCode(server)) & (FINGERPRINT_SLOTS - 1);
        EntityKey.Fingerprint k = fingerprints[slot];
        if (k == null || fingerprintOf[slot] != fingerprint || fingerprintServer[slot] != server) {
            k = InternedKeys.fingerprint(server, fingerprint);
            fingerprints[slot] = k;
            fingerprintOf[slot] = fingerprint;
            fingerprintServer[slot] = server;
        }
        return k;
    }
}
