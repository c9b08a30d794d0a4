package io.dbwire.core.tls;

/**
 * The AEAD cipher suites the sensor decrypts. TLS 1.2 suites are listed regardless of key exchange: with the
 * master secret from the key log, ECDHE, DHE and RSA key exchange all expand the same way.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8446#appendix-B.4">RFC 8446 B.4</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5288">RFC 5288 (AES-GCM for TLS 1.2)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7905">RFC 7905 (ChaCha20-Poly1305 for TLS 1.2)</a>
 */
public enum TlsCipherSuite {
    TLS_AES_128_GCM_SHA256(0x1301, true, Aead.AES_GCM, 16, "HmacSHA256"),
    TLS_AES_256_GCM_SHA384(0x1302, true, Aead.AES_GCM, 32, "HmacSHA384"),
    TLS_CHACHA20_POLY1305_SHA256(0x1303, true, Aead.CHACHA20_POLY1305, 32, "HmacSHA256"),
    TLS_RSA_WITH_AES_128_GCM_SHA256(0x009c, false, Aead.AES_GCM, 16, "HmacSHA256"),
    TLS_RSA_WITH_AES_256_GCM_SHA384(0x009d, false, Aead.AES_GCM, 32, "HmacSHA384"),
    TLS_DHE_RSA_WITH_AES_128_GCM_SHA256(0x009e, false, Aead.AES_GCM, 16, "HmacSHA256"),
    TLS_DHE_RSA_WITH_AES_256_GCM_SHA384(0x009f, false, Aead.AES_GCM, 32, "HmacSHA384"),
    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256(0xc02b, false, Aead.AES_GCM, 16, "HmacSHA256"),
    TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384(0xc02c, false, Aead.AES_GCM, 32, "HmacSHA384"),
    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256(0xc02f, false, Aead.AES_GCM, 16, "HmacSHA256"),
    TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384(0xc030, false, Aead.AES_GCM, 32, "HmacSHA384"),
    TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256(0xcca8, false, Aead.CHACHA20_POLY1305, 32, "HmacSHA256"),
    TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256(0xcca9, false, Aead.CHACHA20_POLY1305, 32, "HmacSHA256"),
    TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256(0xccaa, false, Aead.CHACHA20_POLY1305, 32, "HmacSHA256");

    enum Aead {
        AES_GCM,
        CHACHA20_POLY1305
    }

    /** AEAD tag length of both algorithms, 16 bytes. */
    static final int TAG = 16;

    final int id;
    final boolean tls13;
    final Aead aead;
    final int keyLength;
    /** HMAC of the suite's hash: HKDF in TLS 1.3, the PRF in TLS 1.2. */
    final String hmac;

    TlsCipherSuite(int id, boolean tls13, Aead aead, int keyLength, String hmac) {
        this.id = id;
        this.tls13 = tls13;
        this.aead = aead;
        this.keyLength = keyLength;
        this.hmac = hmac;
    }

    int hashLength() {
        return "HmacSHA384".equals(hmac) ? 48 : 32;
    }

    /**
     * The fixed IV length from the key block: 4 bytes of salt for TLS 1.2 GCM (RFC 5288 3, the other 8 travel
     * in each record), 12 for ChaCha20 (RFC 7905 2) and everything in TLS 1.3.
     */
    int fixedIvLength() {
        return !tls13 && aead == Aead.AES_GCM ? 4 : 12;
    }

    /** @return the suite, or null if the sensor does not decrypt it */
    public static TlsCipherSuite byId(int id) {
        for (TlsCipherSuite s : values()) {
            if (s.id == id) {
                return s;
            }
        }
        return null;
    }

    /**
     * The suite's IANA name whether or not the sensor decrypts it ({@link CipherSuiteNames}); its number in hex
     * ({@code 0x1337}) only for a code no registry or implementation names.
     */
    public static String name(int id) {
        TlsCipherSuite s = byId(id);
        if (s != null) {
            return s.name();
        }
        String name = CipherSuiteNames.name(id);
        return name != null ? name : String.format("0x%04x", id);
    }
}
