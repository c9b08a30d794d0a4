package io.dbwire.core.protocol.session;

import io.dbwire.core.config.ProtocolConfig;

/** How much of a message body a framer keeps, the same for every protocol (bounded by max_message_bytes). */
public final class KeptBytes {
    /** Server messages a session needs are small (errors, tags, parameters): 16 KiB of each is kept. */
    static final int SERVER_KEEP_BYTES = 16 * 1024;
    /** Client bodies (query text) are kept up to this, at least 256 KiB, so long statements still normalise. */
    static final int CLIENT_KEEP_MIN_BYTES = 256 * 1024;

    private KeptBytes() {}

    /** Of a client message: four times max_statement_bytes, at least 256 KiB, at most max_message_bytes. */
    public static int client(ProtocolConfig config) {
        int max = config.maxMessageBytes();
        return (int) Math.min(Math.max(0, max),
                Math.max(CLIENT_KEEP_MIN_BYTES, 4L * Math.max(0, config.maxStatementBytes())));
    }

    /** Of a server message: 16 KiB, at least 64 bytes, at most max_message_bytes. */
    public static int server(ProtocolConfig config) {
        return Math.min(SERVER_KEEP_BYTES, Math.max(64, config.maxMessageBytes()));
    }
}
