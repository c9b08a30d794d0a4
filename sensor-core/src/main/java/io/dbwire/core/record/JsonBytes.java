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
    /** For ASCII: 0 = as is, a letter = two-character escape, -1 = six-character u00XX escape. */
    private static final byte[] ESCAPES = new byte[128];

    static {
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
        if (v == Long.MIN_VALUE) {
            raw(ascii(Long.toString(v)));
            return;
        }
        ensure(20);
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        int digits = digits(v);
        int end = len + digits;
        for (int i = end - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        len = end;
    }

    void nullableNumber(Long v) {
        if (v == null) {
            nullValue();
        } else {
            number(v);
        }
    }

    /** Exactly {@code width} decimal digits, zero-padded: the microseconds of a timestamp. */
    void fixedDigits(long v, int width) {
        ensure(width);
        for (int i = len + width - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        len += width;
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

    private static int digits(long v) {
        int d = 1;
        while (v >= 10) {
            v /= 10;
            d++;
        }
        return d;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
