package io.dbwire.core.record;

/**
 * The hole in the mirrored stream that cut a record short (the {@code gaps} block, docs/records.md): bytes the
 * mirror lost in each direction there. A record has one only when a gap ended it; records that did not meet
 * one carry none (and their JSON has no {@code gaps} key).
 *
 * @param clientBytes bytes lost from the client's direction (requests)
 * @param serverBytes bytes lost from the server's direction (answers)
 */
public record GapInfo(long clientBytes, long serverBytes) {}
