package io.dbwire.core.tls;

/**
 * Bounds of one TLS session's state.
 *
 * @param pendingBudgetBytes  ciphertext bytes held per session while its keys have not arrived
 * @param maxHandshakeMessage largest handshake message assembled (certificate chains are the big ones)
 * @param keepTurns           how many of the most recent turns the summary keeps in full
 * @param keyWaitMicros       packet time a session waits for its keys after its first protected record; then it
 *                            gives up (what waits is counted {@link DecryptOutcome#NO_KEYS}) and stops looking,
 *                            so sessions whose keys never come hold no memory and cost no lookups
 */
public record TlsOptions(int pendingBudgetBytes, int maxHandshakeMessage, int keepTurns, long keyWaitMicros) {
    public static final TlsOptions DEFAULTS = new TlsOptions(256 * 1024, 64 * 1024, 16, 10_000_000L);
}
