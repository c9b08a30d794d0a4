package io.dbwire.core.record;

/**
 * The encoded middle of a record that stays the same for every record of a connection — protocol, connection
 * id, VNI, both endpoints and the session block — kept per connection so that {@link RecordLine} copies it in one
 * step instead of writing a dozen fields (issue 10). A kept block stands for the very objects it was written
 * from: the record's {@link SessionInfo} and {@link Endpoint}s are immutable and shared by every record of a
 * connection, so comparing them by identity is exact and cheap; a changed session (user learned later, TLS) is
 * a new object and writes a new block. Session blocks with login attributes (a map) are never kept.
 *
 * <p>Direct-mapped by connection id over {@link #SLOTS} slots of at most {@link #MAX_BYTES}. Not thread-safe: one
 * per {@link RecordLine}.
 */
final class ConnectionBlocks {
    static final int SLOTS = 256;
    static final int MAX_BYTES = 1024;
    private static final int SLOT_BITS = Integer.numberOfTrailingZeros(SLOTS);

    private final long[] ids = new long[SLOTS];
    private final int[] vnis = new int[SLOTS];
    private final DatabaseProtocol[] protocols = new DatabaseProtocol[SLOTS];
    private final Endpoint[] clients = new Endpoint[SLOTS];
    private final Endpoint[] servers = new Endpoint[SLOTS];
    /** Null marks an empty slot (every record has a session). */
    private final SessionInfo[] sessions = new SessionInfo[SLOTS];
    private final EncodedBlocks blocks = new EncodedBlocks(SLOTS, MAX_BYTES);

    /** The slot of a connection: ids of one shard step by the shard count, so they are mixed first. */
    static int slot(long connectionId) {
        return (int) ((connectionId * 0x9E3779B97F4A7C15L) >>> (Long.SIZE - SLOT_BITS));
    }

    /** Writes the block kept for {@code r}'s connection; false when the slot holds none for it. */
    boolean writeKept(JsonBytes out, TransactionRecord r, int slot) {
        if (sessions[slot] == r.session() && ids[slot] == r.connectionId() && clients[slot] == r.client()
                && servers[slot] == r.server() && vnis[slot] == r.vni() && protocols[slot] == r.databaseProtocol()) {
            blocks.writeTo(out, slot);
            return true;
        }
        return false;
    }

    /** Keeps {@code src[from, to)}, just written for {@code r}, as its connection's block. */
    void keep(TransactionRecord r, int slot, byte[] src, int from, int to) {
        if (r.session().attributes() != null || !blocks.keep(slot, src, from, to)) {
            sessions[slot] = null;
            clients[slot] = null;
            servers[slot] = null;
            return;
        }
        ids[slot] = r.connectionId();
        vnis[slot] = r.vni();
        protocols[slot] = r.databaseProtocol();
        clients[slot] = r.client();
        servers[slot] = r.server();
        sessions[slot] = r.session();
    }
}
