package io.dbwire.core.protocol.mysql;

/**
 * Recognises TLS records at the start of a delivery of a connection picked up mid-stream (RFC 8446 section 5.1):
 * content type 20..23, version 3.0..3.4, a length up to 2^14 + 2048. A MySQL header can look like one, so the
 * record must also end exactly where the delivery ends, or be followed by another TLS record header.
 */
final class TlsProbe {
    private static final int RECORD_HEADER = 5;
    private static final int MAX_RECORD = (1 << 14) + 2048;

    private TlsProbe() {}

    static boolean looksLikeTls(byte[] b, int offset, int length) {
        if (!header(b, offset, length)) {
            return false;
        }
        int next = RECORD_HEADER + ((b[offset + 3] & 0xff) << 8 | (b[offset + 4] & 0xff));
        return next == length || (next < length && header(b, offset + next, length - next));
    }

    private static boolean header(byte[] b, int at, int available) {
        if (available < RECORD_HEADER) {
            return false;
        }
        int type = b[at] & 0xff;
        int len = (b[at + 3] & 0xff) << 8 | (b[at + 4] & 0xff);
        return type >= 20 && type <= 23 && b[at + 1] == 3 && b[at + 2] >= 0 && b[at + 2] <= 4 && len > 0
                && len <= MAX_RECORD;
    }
}
