package io.dbwire.core.tls;

/**
 * The ServerHello fields the sensor needs (RFC 8446 4.1.3, RFC 5246 7.4.1.3).
 *
 * @param version     the negotiated version: supported_versions (0x002b) if present, else legacy_version
 * @param random      the 32-byte server random (TLS 1.2 key expansion needs it)
 * @param cipherSuite the chosen suite
 * @param alpn        the chosen ALPN protocol (TLS 1.2 only; TLS 1.3 moves it into EncryptedExtensions), or null
 * @param helloRetry  true if this is a HelloRetryRequest (RFC 8446 4.1.3: the special random)
 */
public record ServerHello(int version, byte[] random, int cipherSuite, String alpn, boolean helloRetry) {

    /** SHA-256("HelloRetryRequest"), the random of a HelloRetryRequest (RFC 8446 4.1.3). */
    private static final byte[] HRR_RANDOM = hex(
            "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");

    static ServerHello decode(byte[] body, int offset, int length) {
        Cursor c = new Cursor(body, offset, length);
        int version = c.u16();
        byte[] random = c.bytes(32);
        c.skip(c.u8()); // legacy_session_id_echo
        int suite = c.u16();
        c.u8(); // legacy_compression_method
        String alpn = null;
        if (c.remaining() > 0) {
            Cursor all = c.slice(c.u16());
            while (all.ok() && all.remaining() > 0) {
                int type = all.u16();
                Cursor ext = all.slice(all.u16());
                if (type == TlsConstants.EXT_SUPPORTED_VERSIONS) {
                    version = ext.u16();
                } else if (type == TlsConstants.EXT_ALPN) {
                    Cursor list = ext.slice(ext.u16());
                    alpn = new String(list.bytes(list.u8()), java.nio.charset.StandardCharsets.ISO_8859_1);
                }
            }
            if (!all.ok()) {
                return null;
            }
        }
        if (!c.ok()) {
            return null;
        }
        return new ServerHello(version, random, suite, alpn, java.util.Arrays.equals(random, HRR_RANDOM));
    }

    /** The selected ALPN protocol from a TLS 1.3 EncryptedExtensions body (RFC 8446 4.3.1), or null. */
    static String alpnOf(byte[] body, int offset, int length) {
        Cursor c = new Cursor(body, offset, length);
        Cursor all = c.slice(c.u16());
        while (all.ok() && all.remaining() > 0) {
            int type = all.u16();
            Cursor ext = all.slice(all.u16());
            if (type == TlsConstants.EXT_ALPN) {
                Cursor list = ext.slice(ext.u16());
                byte[] name = list.bytes(list.u8());
                return list.ok() ? new String(name, java.nio.charset.StandardCharsets.ISO_8859_1) : null;
            }
        }
        return null;
    }

    static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
