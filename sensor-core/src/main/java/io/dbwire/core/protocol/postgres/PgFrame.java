package io.dbwire.core.protocol.postgres;

import io.dbwire.core.protocol.session.WireFrame;

/**
 * One framed message as the {@link PgFramer} hands it over. A reused view: valid only during the callback, so
 * that framing allocates nothing per message. The body holds at most the kept prefix of the message.
 */
final class PgFrame extends WireFrame {
    /** Type byte, {@link PgWire#UNTYPED} for startup-phase client messages, or the one-byte SSL/GSS answer. */
    int type;
    /** True for the server's single-byte answer to SSLRequest/GSSENCRequest ({@link #type} is the byte). */
    boolean sslAnswer;
    /**
     * The direction opened with a TLS record instead of PostgreSQL: direct TLS negotiation (PostgreSQL 17
     * {@code sslnegotiation=direct}) or an encrypted connection picked up mid-stream. No body; nothing follows.
     */
    boolean tls;
    /** Body length the header declared (without type byte and length field). */
    int declaredLength;
}
