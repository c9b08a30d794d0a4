package io.dbwire.core.record;

import java.util.Map;

/**
 * Who issued a statement, as the statement's own comments say (docs/records.md, attribution): sqlcommenter or
 * Rails marginalia tags, and the W3C trace context of the request behind it. Never part of the fingerprint.
 *
 * @param tags    tag name to value, URL-decoded, in the order written (at most 16, {@code traceparent} not among
 *                them); empty when the comments held only a trace context
 * @param traceId W3C trace-id, 32 lower-case hex digits, or null
 * @param spanId  W3C parent-id (the client span that issued the statement), 16 lower-case hex digits, or null
 */
public record StatementAttribution(Map<String, String> tags, String traceId, String spanId) {
    public StatementAttribution {
        tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
    }
}
