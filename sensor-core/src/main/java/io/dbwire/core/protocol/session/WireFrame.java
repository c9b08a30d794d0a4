package io.dbwire.core.protocol.session;

/**
 * What every protocol's framed message (a PostgreSQL message, a MySQL packet) carries besides its type: the
 * kept prefix of its body and its wire accounting. A framer reuses one instance per direction: a handler reads
 * it during the callback and copies what it keeps.
 */
public abstract class WireFrame {
    public byte[] body;
    /** Bytes of {@link #body} that are valid (the kept prefix). */
    public int kept;
    /** Whether the body was longer than the kept prefix. */
    public boolean truncated;
    /** Bytes of this message on the wire: headers and body. */
    public long wireBytes;
    /** Packet time of the message's first and last byte, microseconds since the epoch. */
    public long firstTs;
    public long lastTs;
}
