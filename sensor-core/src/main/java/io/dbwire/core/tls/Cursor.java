package io.dbwire.core.tls;

/**
 * Bounds-checked reads over a fenced body. An overrun never throws: it marks the cursor bad, reads return
 * zero, and the caller checks {@link #ok()} once at the end, so decoders stay linear.
 */
final class Cursor {
    private final byte[] b;
    private int pos;
    private final int end;
    private boolean bad;

    Cursor(byte[] b, int offset, int length) {
        this.b = b;
        this.pos = offset;
        this.end = offset + length;
    }

    boolean ok() {
        return !bad;
    }

    int remaining() {
        return bad ? 0 : end - pos;
    }

    int position() {
        return pos;
    }

    byte[] array() {
        return b;
    }

    private boolean take(int n) {
        if (bad || n < 0 || end - pos < n) {
            bad = true;
            return false;
        }
        return true;
    }

    int u8() {
        if (!take(1)) {
            return 0;
        }
        return b[pos++] & 0xff;
    }

    int u16() {
        if (!take(2)) {
            return 0;
        }
        int v = ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    int u24() {
        if (!take(3)) {
            return 0;
        }
        int v = HandshakeAssembler.length24(b, pos);
        pos += 3;
        return v;
    }

    byte[] bytes(int n) {
        if (!take(n)) {
            return new byte[0];
        }
        byte[] out = new byte[n];
        System.arraycopy(b, pos, out, 0, n);
        pos += n;
        return out;
    }

    void skip(int n) {
        if (take(n)) {
            pos += n;
        }
    }

    /** A sub-cursor over the next {@code n} bytes, which this cursor then skips. */
    Cursor slice(int n) {
        if (!take(n)) {
            return new Cursor(b, 0, 0).broken();
        }
        Cursor c = new Cursor(b, pos, n);
        pos += n;
        return c;
    }

    private Cursor broken() {
        bad = true;
        return this;
    }
}
