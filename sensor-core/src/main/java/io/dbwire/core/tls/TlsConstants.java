package io.dbwire.core.tls;

/**
 * Numbers from the TLS specifications that the sensor reads.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8446">RFC 8446 (TLS 1.3)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5246">RFC 5246 (TLS 1.2)</a>
 * @see <a href="https://www.iana.org/assignments/tls-parameters/tls-parameters.xhtml">IANA TLS parameters</a>
 */
public final class TlsConstants {
    private TlsConstants() {}

    // ContentType, RFC 8446 section 5.1
    public static final int CHANGE_CIPHER_SPEC = 20;
    public static final int ALERT = 21;
    public static final int HANDSHAKE = 22;
    public static final int APPLICATION_DATA = 23;

    /** TLSPlaintext header: type(1) legacy_record_version(2) length(2). */
    public static final int RECORD_HEADER = 5;
    /** 2^14: the largest plaintext fragment (RFC 8446 5.1, RFC 5246 6.2.1). */
    public static final int MAX_PLAINTEXT = 1 << 14;
    /**
     * The framing bound: RFC 5246 6.2.3 lets a TLS 1.2 ciphertext reach 2^14 + 2048; TLS 1.3 (RFC 8446 5.2)
     * caps it at 2^14 + 256. The reader accepts the larger so a compliant 1.2 peer never desynchronises it;
     * the AEAD suites we decrypt never produce more than 2^14 + 256.
     */
    public static final int MAX_RECORD_BODY = MAX_PLAINTEXT + 2048;

    // HandshakeType, RFC 8446 section 4
    public static final int CLIENT_HELLO = 1;
    public static final int SERVER_HELLO = 2;
    public static final int NEW_SESSION_TICKET = 4;
    public static final int ENCRYPTED_EXTENSIONS = 8;
    public static final int CERTIFICATE = 11;
    public static final int FINISHED = 20;
    public static final int KEY_UPDATE = 24;

    // ExtensionType
    public static final int EXT_SERVER_NAME = 0x0000;
    public static final int EXT_SUPPORTED_GROUPS = 0x000a;
    public static final int EXT_EC_POINT_FORMATS = 0x000b;
    public static final int EXT_SIGNATURE_ALGORITHMS = 0x000d;
    public static final int EXT_ALPN = 0x0010;
    public static final int EXT_SUPPORTED_VERSIONS = 0x002b;

    public static final int TLS10 = 0x0301;
    public static final int TLS11 = 0x0302;
    public static final int TLS12 = 0x0303;
    public static final int TLS13 = 0x0304;

    /** GREASE values (RFC 8701): 0x0a0a, 0x1a1a, ... 0xfafa: both bytes equal, low nibble 0xa. */
    public static boolean isGrease(int value) {
        return (value & 0x0f0f) == 0x0a0a && (value >> 8) == (value & 0xff);
    }

    public static String versionName(int version) {
        switch (version) {
            case 0x0300:
                return "SSLv3";
            case TLS10:
                return "TLSv1.0";
            case TLS11:
                return "TLSv1.1";
            case TLS12:
                return "TLSv1.2";
            case TLS13:
                return "TLSv1.3";
            default:
                return String.format("0x%04x", version);
        }
    }
}
