package io.dbwire.core.record;

import java.util.List;
import java.util.Map;

/**
 * The {@code tls} block of a record of kind {@code tls}: what one TLS session showed, with or without keys
 * (docs/records.md, docs/tls.md). Values the wire did not show are null (strings) or -1 (times).
 *
 * @param version         negotiated version ("TLSv1.3"), or null without a ServerHello
 * @param cipher          IANA name of the chosen suite, or null
 * @param sni             server_name the client asked for, or null
 * @param alpn            the client's ALPN offer, in order (empty if none)
 * @param ja3             JA3 string, {@code ja3Hash} its MD5, {@code ja4} the JA4 fingerprint; null without hello
 * @param certificate     the server's leaf certificate where visible (TLS 1.2; TLS 1.3 only with keys), or null
 * @param handshakeUs     ClientHello to the client's Finished, or -1
 * @param client          bytes and records client to server; {@code server} the reverse
 * @param turns           request/response turns of application data
 * @param decrypted       whether any record was decrypted
 * @param decryptOutcomes per protected record what became of it (DECRYPTED, NO_KEYS, TAG_FAILURE, ...)
 * @param violations      TLS framing and handshake violations (empty normally)
 */
public record TlsInfo(
        String version,
        String cipher,
        String sni,
        List<String> alpn,
        String alpnSelected,
        String ja3,
        String ja3Hash,
        String ja4,
        Certificate certificate,
        long handshakeUs,
        Flow client,
        Flow server,
        Turns turns,
        boolean decrypted,
        Map<String, Long> decryptOutcomes,
        Map<String, Long> violations) {

    /** @param notAfterMicros expiry, microseconds since the epoch */
    public record Certificate(String subject, String issuer, long notAfterMicros) {}

    /** @param bytes TCP payload bytes of the TLS stream in one direction; {@code records} TLS records */
    public record Flow(long bytes, long records) {}

    /**
     * Turn statistics (bytes are TLS record payload bytes: ciphertext, the same with or without keys).
     *
     * @param maxLatencyUs           largest request-end to response-start time, or -1 if no turn was answered
     * @param unansweredServerBursts server bursts with no request before them (session tickets, notices)
     */
    public record Turns(long count, long requestBytes, long responseBytes, long maxRequestBytes,
            long maxResponseBytes, long sumLatencyUs, long maxLatencyUs, long unansweredServerBursts) {}
}
