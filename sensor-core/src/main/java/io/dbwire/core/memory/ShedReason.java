package io.dbwire.core.memory;

import io.dbwire.core.util.CountedEvent;

/**
 * Why state was given up to stay within the {@link MemoryBudget}, in the order it is shed: the oldest and
 * cheapest to lose first (out-of-order holds, fragments, idle flows) before active parser state. Counted as
 * {@code memory.<reason>} problems (replay's problems line, {@code dbwire_problems_total{layer="memory"}}).
 */
public enum ShedReason implements CountedEvent {
    /** Out-of-order or held bytes not kept: the flow gets a gap for them instead. */
    HOLD_RELEASED(MemoryConsumer.REASSEMBLY),
    /** An incomplete IP datagram dropped (oldest first) to make room. */
    FRAGMENT_DROPPED(MemoryConsumer.FRAGMENTS),
    /** The least recently active connection closed (flushed, records marked incomplete) to make room. */
    FLOW_EVICTED(MemoryConsumer.FLOWS),
    /** A message body not buffered further: the message is handled as truncated. */
    MESSAGE_TRUNCATED(MemoryConsumer.MESSAGE_BUFFERS),
    /** A prepared statement or portal not remembered: its executions get unknown text. */
    STATEMENT_FORGOTTEN(MemoryConsumer.STATEMENT_CATALOGS),
    /** A TLS record split across packets not buffered: counted as a lost record. */
    TLS_RECORD_DROPPED(MemoryConsumer.TLS_SESSIONS),
    /** A detection entity (least recently seen first) dropped: it is learnt again when seen again. */
    ENTITY_EVICTED(MemoryConsumer.DETECTION_ENTITIES);

    private final MemoryConsumer consumer;

    ShedReason(MemoryConsumer consumer) {
        this.consumer = consumer;
    }

    public MemoryConsumer consumer() {
        return consumer;
    }

    @Override
    public Kind kind() {
        return Kind.PROBLEM;
    }

    @Override
    public String layer() {
        return "memory";
    }
}
