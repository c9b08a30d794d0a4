package io.dbwire.core.decap;

/**
 * The datagram an IP fragment belongs to: fragments of one datagram share this key (RFC 791 section 3.2; RFC 8200
 * section 4.5). {@code protocol} is -1 for IPv6 (not part of its key). Addresses are in the engine's 128-bit form.
 */
public record FragmentKey(int version, long srcHi, long srcLo, long dstHi, long dstLo, long id, int protocol) {}
