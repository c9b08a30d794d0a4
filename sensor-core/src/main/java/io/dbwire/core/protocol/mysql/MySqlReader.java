package io.dbwire.core.protocol.mysql;

import java.nio.charset.StandardCharsets;

/**
 * Cursor over one fenced packet body. Reads never pass the fence: a short field sets {@link #failed()} and
 * returns a neutral value, so decoders check once at the end instead of after every field.
 */
final class MySqlReader {
    private byte[] b;
    private int pos;
    private int end;
    private boolean failed;

    MySqlReader reset(MySqlPacket p) {
        return reset(p.body, 0, p.kept);
    }

    MySqlReader reset(byte[] buf, int offset, int length) {
        b = buf;
        pos = offset;
        end = offset + length;
        failed = false;
        return this;
    }

    /** Lets go of the last body read, so a quiet connection does not keep its framer's old buffer. */
    void release() {
        b = null;
        pos = 0;
        end = 0;
    }

    boolean failed() {
        return failed;
    }

    int remaining() {
        return end - pos;
    }

    private boolean need(long n) {
        if (n < 0 || n > end - pos) {
            failed = true;
            pos = end;
            return false;
        }
        return true;
    }

    /** The next byte without consuming it, or -1 at the fence. */
    int peek() {
        return pos < end ? b[pos] & 0xff : -1;
    }

    int int1() {
        return need(1) ? b[pos++] & 0xff : 0;
    }

    int int2() {
        if (!need(2)) {
            return 0;
        }
        int v = MySqlWire.int2(b, pos);
        pos += 2;
        return v;
    }

    int int3() {
        if (!need(3)) {
            return 0;
        }
        int v = MySqlWire.int3(b, pos);
        pos += 3;
        return v;
    }

    long int4() {
        if (!need(4)) {
            return 0;
        }
        long v = MySqlWire.int4(b, pos);
        pos += 4;
        return v;
    }

    long int8() {
        long lo = int4();
        long hi = int4();
        return lo | hi << 32;
    }

    void skip(long n) {
        if (need(n)) {
            pos += (int) n;
        }
    }

    /** Length-encoded integer; 0xFB (NULL) reads as -1, 0xFF is invalid. */
    long lenenc() {
        int first = int1();
        return switch (first) {
            case 0xFB -> -1;
            case 0xFC -> int2();
            case 0xFD -> int3();
            case 0xFE -> int8();
            case 0xFF -> {
                failed = true;
                yield 0;
            }
            default -> first;
        };
    }

    String lenencString() {
        long n = lenenc();
        return n < 0 ? null : fixedString(n);
    }

    /** Skips a length-encoded string without building it (passwords, values, attributes we do not keep). */
    void skipLenencString() {
        long n = lenenc();
        if (n > 0) {
            skip(n);
        }
    }

    String fixedString(long n) {
        if (!need(n)) {
            return null;
        }
        String s = new String(b, pos, (int) n, StandardCharsets.UTF_8);
        pos += (int) n;
        return s;
    }

    /** NUL-terminated string; a missing terminator is a failure. */
    String nulString() {
        for (int i = pos; i < end; i++) {
            if (b[i] == 0) {
                String s = new String(b, pos, i - pos, StandardCharsets.UTF_8);
                pos = i + 1;
                return s;
            }
        }
        failed = true;
        pos = end;
        return null;
    }

    /** The rest of the body as text (COM_QUERY text, the info of an OK). */
    String restString() {
        String s = new String(b, pos, end - pos, StandardCharsets.UTF_8);
        pos = end;
        return s;
    }
}
