package io.dbwire.core.detect.alert;

import io.dbwire.core.record.Endpoint;
import java.util.Objects;

/**
 * The {@link EntityKey} of a record's entity without allocating one per record and detector. Every detector asks
 * for the key of every record, and the same few clients, servers, users and fingerprints recur, so a
 * direct-mapped table hands back the key built for the previous record of that entity (a third of the bytes
 * detection allocated per packet were these keys). A slot holds the last key that hashed to it; a miss builds a
 * new key and replaces it, so the table is bounded and never changes what a key equals — callers still get a
 * key equal to {@code new EntityKey.X(...)}.
 *
 * <p>Shared by every engine and thread: the keys are immutable records (final fields, safely published), so a
 * racy read sees either a whole key or another slot's older key, and the component check rejects the latter.
 */
public final class InternedKeys {
    private static final int SLOTS = 1 << 12;
    private static final EntityKey[] TABLE = new EntityKey[SLOTS];

    // distinct seeds keep keys of different types with equal components out of each other's slots
    private static final int SERVER = 0x2f6b;
    private static final int USER = 0x51d3;
    private static final int CLIENT_SERVER = 0x7a39;
    private static final int FINGERPRINT = 0x1c85;

    private InternedKeys() {}

    public static EntityKey.Server server(Endpoint server) {
        int slot = slot(SERVER, Objects.hashCode(server), 0);
        EntityKey k = TABLE[slot];
        if (k instanceof EntityKey.Server && Objects.equals(((EntityKey.Server) k).server(), server)) {
            return (EntityKey.Server) k;
        }
        EntityKey.Server made = new EntityKey.Server(server);
        TABLE[slot] = made;
        return made;
    }

    public static EntityKey.User user(Endpoint server, String user) {
        int slot = slot(USER, Objects.hashCode(server), Objects.hashCode(user));
        EntityKey k = TABLE[slot];
        if (k instanceof EntityKey.User) {
            EntityKey.User u = (EntityKey.User) k;
            if (Objects.equals(u.user(), user) && Objects.equals(u.server(), server)) {
                return u;
            }
        }
        EntityKey.User made = new EntityKey.User(server, user);
        TABLE[slot] = made;
        return made;
    }

    public static EntityKey.ClientServer clientServer(String clientIp, Endpoint server) {
        int slot = slot(CLIENT_SERVER, Objects.hashCode(server), Objects.hashCode(clientIp));
        EntityKey k = TABLE[slot];
        if (k instanceof EntityKey.ClientServer) {
            EntityKey.ClientServer c = (EntityKey.ClientServer) k;
            if (Objects.equals(c.clientIp(), clientIp) && Objects.equals(c.server(), server)) {
                return c;
            }
        }
        EntityKey.ClientServer made = new EntityKey.ClientServer(clientIp, server);
        TABLE[slot] = made;
        return made;
    }

    public static EntityKey.Fingerprint fingerprint(Endpoint server, String fingerprint) {
        int slot = slot(FINGERPRINT, Objects.hashCode(server), Objects.hashCode(fingerprint));
        EntityKey k = TABLE[slot];
        if (k instanceof EntityKey.Fingerprint) {
            EntityKey.Fingerprint f = (EntityKey.Fingerprint) k;
            if (Objects.equals(f.fingerprint(), fingerprint) && Objects.equals(f.server(), server)) {
                return f;
            }
        }
        EntityKey.Fingerprint made = new EntityKey.Fingerprint(server, fingerprint);
        TABLE[slot] = made;
        return made;
    }

    private static int slot(int seed, int a, int b) {
        int h = (seed * 31 + a) * 0x9e3779b1 + b;
        h *= 0x85ebca6b;
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }
}
