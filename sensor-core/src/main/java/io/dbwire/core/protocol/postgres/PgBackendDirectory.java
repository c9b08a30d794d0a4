package io.dbwire.core.protocol.postgres;

import io.dbwire.core.tcp.ConnectionInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The backends the sensor saw being handed out (BackendKeyData: process id and secret key) on the connections
 * of one server, so that a CancelRequest arriving on another connection can be matched to the session it
 * cancels. A match needs the same server (address, port, VNI), the same process id and the same secret key —
 * 4 bytes in protocol 3.0, up to 256 in 3.2 (PostgreSQL 18) — so it is exact, never a guess. Only a 64-bit
 * hash of the key is kept.
 *
 * <p>One directory is shared by the sessions of one engine (single-threaded, like the sessions). Bounded: the
 * oldest entry is dropped when full; a session removes its entry when its connection ends.
 */
public final class PgBackendDirectory {
    public static final int DEFAULT_MAX_ENTRIES = 65_536;

    /** What a cancel record can say about its victim: the session's identity as its startup gave it. */
    public record Victim(long connectionId, String user, String database, String application) {}

    record Key(String serverIp, int serverPort, int vni, int pid, long keyHash) {}

    private final int maxEntries;
    private final Map<Key, Victim> backends;

    public PgBackendDirectory() {
        this(DEFAULT_MAX_ENTRIES);
    }

    public PgBackendDirectory(int maxEntries) {
        this.maxEntries = Math.max(1, maxEntries);
        this.backends = new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Victim> eldest) {
                return size() > PgBackendDirectory.this.maxEntries;
            }
        };
    }

    void register(Key key, Victim victim) {
        backends.put(key, victim);
    }

    /** The connection ended: its backend can no longer be cancelled (and the pid may be reused). */
    void unregister(Key key, long connectionId) {
        Victim v = backends.get(key);
        if (v != null && v.connectionId() == connectionId) {
            backends.remove(key);
        }
    }

    Victim lookup(Key key) {
        return backends.get(key);
    }

    public int size() {
        return backends.size();
    }

    /** One session's side of a directory (which may be null: no matching): its own entry, kept current. */
    static final class Registration {
        private final PgBackendDirectory directory;
        private final ConnectionInfo connection;
        private Key key;

        Registration(PgBackendDirectory directory, ConnectionInfo connection) {
            this.directory = directory;
            this.connection = connection;
        }

        /** BackendKeyData seen on this connection. */
        void backend(int pid, long keyHash, Victim self) {
            if (directory == null) {
                return;
            }
            end();
            key = keyOf(pid, keyHash);
            directory.register(key, self);
        }

        /** The session's identity changed (application_name reported by the server). */
        void identity(Victim self) {
            if (key != null) {
                directory.register(key, self);
            }
        }

        /** The connection ended. */
        void end() {
            if (key != null) {
                directory.unregister(key, connection.id());
                key = null;
            }
        }

        /** The session a CancelRequest on this connection names, or null when it was not seen. */
        Victim cancelled(int pid, long keyHash) {
            return directory == null ? null : directory.lookup(keyOf(pid, keyHash));
        }

        private Key keyOf(int pid, long keyHash) {
            return new Key(connection.serverIp(), connection.serverPort(), connection.vni(), pid, keyHash);
        }
    }

    /** FNV-1a 64 over the secret key bytes: equal keys, equal hashes; the key itself is not kept. */
    static long keyHash(byte[] b, int from, int to) {
        long h = 0xcbf29ce484222325L;
        for (int i = from; i < to; i++) {
            h = (h ^ (b[i] & 0xff)) * 0x100000001b3L;
        }
        return h ^ (to - from);
    }
}
