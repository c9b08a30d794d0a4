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
}
