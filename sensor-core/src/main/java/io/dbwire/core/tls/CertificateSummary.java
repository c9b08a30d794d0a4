package io.dbwire.core.tls;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.security.auth.x500.X500Principal;

/**
 * What the session record shows of the server's leaf certificate.
 *
 * @param subject        RFC 2253 distinguished name
 * @param issuer         RFC 2253 distinguished name
 * @param notAfterMicros expiry, microseconds since the epoch
 */
public record CertificateSummary(String subject, String issuer, long notAfterMicros) {

    /** Leaf certificates above this are not parsed (real ones are a few KiB). */
    static final int MAX_CERT = 64 * 1024;

    /**
     * Decodes a Certificate handshake body (RFC 5246 7.4.2; with {@code tls13}, RFC 8446 4.4.2 with its
     * request context and per-entry extensions) and parses the first (leaf) entry with the JDK.
     *
     * @return the summary, or null if the message or certificate does not parse (counted by the caller)
     */
    static CertificateSummary decode(byte[] body, int offset, int length, boolean tls13) {
        Cursor c = new Cursor(body, offset, length);
        if (tls13) {
            c.skip(c.u8()); // certificate_request_context
        }
        Cursor list = c.slice(c.u24());
        int len = list.u24();
        if (!list.ok() || len == 0 || len > MAX_CERT || len > list.remaining()) {
            return null;
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            X509Certificate cert = (X509Certificate) factory.generateCertificate(
                    new ByteArrayInputStream(list.array(), list.position(), len));
            return new CertificateSummary(
                    cert.getSubjectX500Principal().getName(X500Principal.RFC2253),
                    cert.getIssuerX500Principal().getName(X500Principal.RFC2253),
                    cert.getNotAfter().getTime() * 1000L);
        } catch (CertificateException | RuntimeException e) {
            // The JDK parser rejects malformed DER with CertificateException and, for some inputs, runtime
            // exceptions; both are hostile input here, never a sensor bug.
            return null;
        }
    }
}
