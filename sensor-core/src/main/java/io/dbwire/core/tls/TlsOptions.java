package io.dbwire.core.tls;

/**
 * Bounds of one TLS session's state.
 *
 * @param pendingBudgetBytes ciphertext bytes held per session while its keys have not arrived
 * @param maxHandshakeMessage largest handshake message assembled (certificate chains are the big ones)
 * @param keepTurns          how many of the most recent turns the summary keeps in full
 */
public record TlsOptions(int pendingBudgetBytes, int maxHandshakeMessage, int keepTurns) {
    public static final TlsOptions DEFAULTS = new TlsOptions(256 * 1024, 64 * 1024, 16);
}
