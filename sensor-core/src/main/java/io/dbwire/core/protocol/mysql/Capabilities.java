package io.dbwire.core.protocol.mysql;

/**
 * The capability flags in effect on a connection: what both the server's greeting and the client's
 * HandshakeResponse41 set (MariaDB's extended capabilities in bits 32..63), or an assumption for a connection
 * picked up mid-stream. Read by the command phase to decode packets whose shape depends on them.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/group__group__cs__capabilities__flags.html
 */
final class Capabilities {
    private long flags;

    Capabilities(long flags) {
        this.flags = flags;
    }

    /** The login negotiated these. */
    void negotiated(long newFlags) {
        flags = newFlags;
    }

    long flags() {
        return flags;
    }

    boolean has(long flag) {
        return (flags & flag) != 0;
    }
}
