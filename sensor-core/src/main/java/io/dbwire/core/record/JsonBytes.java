package io.dbwire.core.record;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A reusable, growable UTF-8 buffer with the few JSON primitives a record line needs. Strings are escaped
 * exactly as Jackson's default generator escapes them ({@code \" \\ \b \f \n \r \t}, other control characters as
 * a six-character u00XX escape with upper-case hex, everything else as UTF-8, an unpaired surrogate as {@code ?} the way the
 * UTF-8 encoder replaces it), so the bytes equal the former Jackson form. Not thread-safe: one per writer.
 */
public final class JsonBytes {
    private static final byte[] NULL = ascii("null");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    private static final byte[] HEX = ascii("0123456789ABCDEF");
    private static final byte[] LONG_MIN = ascii(Long.toString(Long.MIN_VALUE));
    /** "00" to "99": numbers are written two digits per division. */
    private static final byte[] DIGIT_PAIRS = new byte[200];
    /** 10^0 .. 10^18. */
    private static final long[] POWERS_OF_TEN = new long[19];
    /** For ASCII: 0 = as is, a letter = two-character escape, -1 = six-character u00XX escape. */
    private static final byte[] ESCAPES = new byte[128];

    static {
        for (int d = 0; d < 100; d++) {
            DIGIT_PAIRS[2 * d] = (byte) ('0' + d / 10);
            DIGIT_PAIRS[2 * d + 1] = (byte) ('0' + d % 10);
        }
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = -1;
        }
        ESCAPES['\b'] = 'b';
        ESCAPES['\f'] = 'f';
        ESCAPES['\n'] = 'n';
        ESCAPES['\r'] = 'r';
        ESCAPES['\t'] = 't';
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
    }

    private byte[] buf;
    private int len;

    public JsonBytes(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    public byte[] array() {
        return buf;
    }

    public int length() {
        return len;
    }

    public void reset() {
        len = 0;
    }

    /** The first {@code length} bytes of {@code bytes}. */
    void raw(byte[] bytes, int length) {
        ensure(length);
        System.arraycopy(bytes, 0, buf, len, length);
        len += length;
    }

    void raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    void rawByte(char c) {
        ensure(1);
        buf[len++] = (byte) c;
    }

    void bool(boolean v) {
        raw(v ? TRUE : FALSE);
    }

    void nullValue() {
        raw(NULL);
    }

    void number(long v) {
        ensure(20);
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                raw(LONG_MIN);
                return;
            }
            buf[len++] = '-';
            v = -v;
        }
        int end = len + digits(v);
        writeDigitsBackwards(v, end);
        len = end;
    }

    /** The decimal digits of {@code v} (not negative) ending just before {@code end}, two per step from a table. */
    private void writeDigitsBackwards(long v, int end) {
        int i = end;
        while (v > Integer.MAX_VALUE) {
            long q = v / 100;
            i = pair((int) (v - q * 100), i);
            v = q;
        }
        int x = (int) v;
        while (x >= 100) {
            int q = x / 100;
            i = pair(x - q * 100, i);
            x = q;
        }
        if (x >= 10) {
            pair(x, i);
        } else {
            buf[i - 1] = (byte) ('0' + x);
        }
    }

    /** Writes the two digits of {@code d} (0..99) just before {@code i}; returns the new start. */
    private int pair(int d, int i) {
        buf[i - 2] = DIGIT_PAIRS[2 * d];
        buf[i - 1] = DIGIT_PAIRS[2 * d + 1];
        return i - 2;
    }

    void nullableNumber(Long v) {
        if (v == null) {
            nullValue();
        } else {
            number(v);
        }
    }

    /** Exactly six decimal digits, zero-padded: the microseconds of a timestamp ({@code v} in 0..999999). */
    void sixDigits(int v) {
        ensure(6);
        int high = v / 10_000;
        int rest = v - high * 10_000;
        int mid = rest / 100;
        pair(rest - mid * 100, len + 6);
        pair(mid, len + 4);
        pair(high, len + 2);
        len += 6;
    }

    /** A quoted, escaped string, or {@code null}. */
    void string(String s) {
        if (s == null) {
            nullValue();
            return;
        }
        int n = s.length();
        ensure(n + 2);
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                byte e = ESCAPES[c];
                if (e == 0) {
                    ensure(1);
                    buf[len++] = (byte) c;
                } else {
                    escape(c, e);
                }
            } else if (c < 0x800) {
                ensure(2);
                buf[len++] = (byte) (0xC0 | (c >> 6));
                buf[len++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                i = surrogate(s, i, c);
            } else {
                ensure(3);
                buf[len++] = (byte) (0xE0 | (c >> 12));
                buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[len++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        ensure(1);
        buf[len++] = '"';
    }

    private void escape(char c, byte e) {
        ensure(6);
        buf[len++] = '\\';
        if (e > 0) {
            buf[len++] = e;
        } else {
            buf[len++] = 'u';
            buf[len++] = '0';
            buf[len++] = '0';
            buf[len++] = HEX[c >> 4];
            buf[len++] = HEX[c & 0xF];
        }
    }

    /** A pair becomes four UTF-8 bytes; a lone half becomes {@code ?}. Returns the index of the last char used. */
    private int surrogate(String s, int i, char c) {
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            int cp = Character.toCodePoint(c, s.charAt(i + 1));
            ensure(4);
            buf[len++] = (byte) (0xF0 | (cp >> 18));
            buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            buf[len++] = (byte) (0x80 | (cp & 0x3F));
            return i + 1;
        }
        ensure(1);
        buf[len++] = '?';
        return i;
    }

    /** Decimal digits of {@code v} (not negative): from its bit length, corrected by one comparison. */
    static int digits(long v) {
        if (v == 0) {
            return 1;
        }
        int guess = (64 - Long.numberOfLeadingZeros(v)) * 1233 >>> 12; // × log10(2)
        return guess + (v >= POWERS_OF_TEN[guess] ? 1 : 0);
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
