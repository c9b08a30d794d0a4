package io.dbwire.core.memory;

import java.util.Locale;

/** What draws from a {@link MemoryBudget}: every table and buffer of the engine whose size follows the input. */
public enum MemoryConsumer {
    /** Flow table entries with their reassemblers, protocol sessions and framers at rest. */
    FLOWS,
    /** Out-of-order bytes and segments held for the peer direction ({@code tcp.*} buffers). */
    REASSEMBLY,
    /** IPv4/IPv6 fragments waiting for the rest of their datagram. */
    FRAGMENTS,
    /** Parser message buffers grown beyond their initial size while a message arrives. */
    MESSAGE_BUFFERS,
    /** Prepared statements and portals remembered per connection. */
    STATEMENT_CATALOGS,
    /** TLS sessions: record and handshake buffers, decryption state. */
    TLS_SESSIONS,
    /** Detection's per-entity baselines and tables. */
    DETECTION_ENTITIES;

    static final MemoryConsumer[] ALL = values();

    /** {@code message_buffers}: the label in /metrics and summaries. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
