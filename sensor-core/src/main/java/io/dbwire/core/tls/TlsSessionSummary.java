package io.dbwire.core.tls;

import io.dbwire.core.tcp.CloseReason;
import java.util.List;
import java.util.Map;

/**
 * What one TLS connection showed, with or without keys. Emitted once, when the connection closes.
 *
 * @param version           negotiated version ("TLSv1.3"), or null if no ServerHello was seen
 * @param cipherSuite       IANA name of the chosen suite (or "0x...."), or null
 * @param sni               server_name from the ClientHello, or null
 * @param alpnOffered       the client's ALPN list
 * @param alpnSelected      the server's choice where visible (TLS 1.2 ServerHello, or TLS 1.3 with keys), or null
 * @param ja3               JA3 string; {@code ja3Hash} its MD5; {@code ja4} the JA4 fingerprint (null without hello)
 * @param certificate       the server's leaf certificate where visible (TLS 1.2, or TLS 1.3 with keys), or null
 * @param clientHelloMicros packet time of the ClientHello, or -1
 * @param handshakeMicros   ClientHello to the client's first protected record (its Finished), or -1
 * @param clientBytes       TCP payload bytes client to server; {@code serverBytes} the reverse
 * @param clientRecords     TLS records client to server; {@code serverRecords} the reverse
 * @param turns             request/response turns of application data
 * @param decrypted         whether any record was decrypted
 * @param decryptOutcomes   per protected record, what became of it (all {@code NO_KEYS} without a key store)
 * @param violations        framing and handshake violations
 */
public record TlsSessionSummary(
        String version,
        String cipherSuite,
        String sni,
        List<String> alpnOffered,
        String alpnSelected,
        String ja3,
        String ja3Hash,
        String ja4,
        CertificateSummary certificate,
        long clientHelloMicros,
        long handshakeMicros,
        long clientBytes,
        long serverBytes,
        long clientRecords,
        long serverRecords,
        TurnStats turns,
        boolean decrypted,
        Map<DecryptOutcome, Long> decryptOutcomes,
        Map<TlsViolation, Long> violations,
        CloseReason closeReason,
        long endMicros) {}
