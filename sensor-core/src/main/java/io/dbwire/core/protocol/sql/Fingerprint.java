package io.dbwire.core.protocol.sql;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Builds a statement fingerprint: the first 8 bytes of SHA-256, as 16 lower-case hex digits, over the UTF-8 bytes
 * of the canonical form, which is the normalised token stream (never truncated) with every unquoted word in ASCII
 * lower case, literals and parameters as {@code ?}, and the tokens separated by one space. Anyone can recompute it
 * from that text, e.g. {@code printf 'select * from t where id = ?' | sha256sum | cut -c1-16}.
 *
 * <p>Parameters count as values, as pg_stat_statements counts constants as parameters: the same query has one
 * fingerprint whether a driver inlines its values (simple protocol) or binds them ({@code $1}), and folding
 * {@code IN ($1, $2)} cannot leave the parameters after it numbered differently ({@code AND b = $3} vs {@code $2}).
 *
 * <p>Bytes go through a fixed buffer into the digest, so a long statement does not build a second copy of itself.
 */
final class Fingerprint {

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Fingerprint::newDigest);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final MessageDigest digest;
    private final byte[] buffer = new byte[256]; // flushed into the digest when full
    private int used;
    private boolean first = true;

    Fingerprint() {
        digest = SHA256.get();
        digest.reset();
    }

    /** Starts a new token: a separating space before every token but the first. */
    void token() {
        if (!first) {
            put((byte) ' ');
        }
        first = false;
    }

    void append(String s, int start, int end, boolean lowerCase) {
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (lowerCase && c >= 'A' && c <= 'Z') {
                    c = (char) (c + ('a' - 'A'));
                }
                put((byte) c);
            } else if (c < 0x800) {
                put((byte) (0xC0 | (c >> 6)));
                put((byte) (0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                put((byte) (0xF0 | (cp >> 18)));
                put((byte) (0x80 | ((cp >> 12) & 0x3F)));
                put((byte) (0x80 | ((cp >> 6) & 0x3F)));
                put((byte) (0x80 | (cp & 0x3F)));
            } else if (Character.isSurrogate(c)) {
                put((byte) '?'); // a lone surrogate has no UTF-8 form; String.getBytes writes '?' too
            } else {
                put((byte) (0xE0 | (c >> 12)));
                put((byte) (0x80 | ((c >> 6) & 0x3F)));
                put((byte) (0x80 | (c & 0x3F)));
            }
        }
    }

    void append(char c) {
        put((byte) c);
    }

    String finish() {
        digest.update(buffer, 0, used);
        byte[] hash = digest.digest();
        char[] out = new char[16];
        for (int i = 0; i < 8; i++) {
            out[2 * i] = HEX[(hash[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[hash[i] & 0xF];
        }
        return new String(out);
    }

    private void put(byte b) {
        if (used == buffer.length) {
            digest.update(buffer, 0, used);
            used = 0;
        }
        buffer[used++] = b;
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
