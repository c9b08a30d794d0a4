package io.dbwire.core.protocol.postgres;

import java.nio.charset.StandardCharsets;

/**
 * Bounded cursor over one frame body. Never reads outside the body and never throws: a short read sets
 * {@link #failed()} and returns zero or null, so decoders check once at the end.
 */
final class PgReader {
    private byte[] b;
    private int pos;
    private int end;
    private boolean truncated;
    private boolean failed;
    /** Recent short ASCII strings (see {@link #recurringCstring}), shared by the engine's connections. */
    private final PgRecentStrings strings;

    /** A reader with a table of its own (tests, tools). */
    PgReader() {
        this(new PgRecentStrings());
    }

    PgReader(PgRecentStrings strings) {
        this.strings = strings;
    }

    PgReader reset(PgFrame f) {
        return reset(f.body, f.kept, f.truncated);
    }

    PgReader reset(byte[] body, int length, boolean truncatedBody) {
        this.b = body;
        this.pos = 0;
        this.end = length;
        this.truncated = truncatedBody;
        this.failed = false;
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

    int byte1() {
        if (end - pos < 1) {
            failed = true;
            return 0;
        }
        return b[pos++] & 0xff;
    }

    int int16() {
        if (end - pos < 2) {
            failed = true;
            return 0;
        }
        int v = ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    int int32() {
        if (end - pos < 4) {
            failed = true;
            return 0;
        }
        int v = PgWire.int32(b, pos);
        pos += 4;
        return v;
    }

    /** The next int32 without consuming it (0 and failed when fewer than four bytes are left). */
    int peekInt32() {
        if (end - pos < 4) {
            failed = true;
            return 0;
        }
        return PgWire.int32(b, pos);
    }

    /** The next {@code n} bytes as a new array (empty and failed when fewer are left). */
    byte[] bytes(int n) {
        if (n < 0 || end - pos < n) {
            failed = true;
            return new byte[0];
        }
        byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + n);
        pos += n;
        return out;
    }

    /** Hash of the bytes left in the body (consumed): a secret key compared without being kept. */
    long hashRest() {
        long h = PgBackendDirectory.keyHash(b, pos, end);
        pos = end;
        return h;
    }

    /**
     * A NUL-terminated string (UTF-8; other client encodings decode with replacement characters). In a truncated
     * body an unterminated tail is returned as is: it is the kept prefix of a longer string.
     */
    String cstring() {
        for (int i = pos; i < end; i++) {
            if (b[i] == 0) {
                String s = new String(b, pos, i - pos, StandardCharsets.UTF_8);
                pos = i + 1;
                return s;
            }
        }
        if (truncated) {
            String s = new String(b, pos, end - pos, StandardCharsets.UTF_8);
            pos = end;
            return s;
        }
        failed = true;
        return null;
    }

    /** Longest string {@link #recurringCstring} keeps: names and command tags are short. */
    static final int MAX_RECURRING_CHARS = 64;

    /**
     * As {@link #cstring()}, for strings that recur message after message on a connection — statement and portal
     * names, command tags: an empty string is the constant, and a short ASCII one is taken from the engine's
     * table of the strings last read ({@link PgRecentStrings}), so a prepared statement's Bind/Execute/
     * CommandComplete make no new String.
     */
    String recurringCstring() {
        return recentCstring(strings.table(), MAX_RECURRING_CHARS);
    }

    /**
     * As {@link #cstring()}, for a simple Query's text: an ASCII text of at most
     * {@link PgRecentStrings#MAX_TEXT_CHARS} is taken from the engine's table of recent Query texts when the same
     * bytes were read last time, so a recurring Query decodes no new String (and the normaliser's look-up of the
     * same String object is an identity compare).
     */
    String queryCstring() {
        return recentCstring(strings.texts(), PgRecentStrings.MAX_TEXT_CHARS);
    }

    /** A NUL-terminated ASCII string of at most {@code maxChars} from {@code recent}, read into it on a miss. */
    private String recentCstring(String[] recent, int maxChars) {
        int nul = pos;
        while (nul < end && b[nul] != 0) {
            nul++;
        }
        int n = nul - pos;
        if (nul == end || n > maxChars) {
            return cstring();
        }
        if (n == 0) {
            pos = nul + 1;
            return "";
        }
        int h = 1;
        for (int i = pos; i < nul; i++) {
            if (b[i] < 0) {
                return cstring(); // not ASCII: decoded as UTF-8, not kept
            }
            h = 31 * h + b[i];
        }
        int slot = PgRecentStrings.firstSlot(h, recent.length);
        String s = recent[slot];
        if (s == null || !sameAscii(s, nul)) {
            String second = recent[slot + 1];
            if (second != null && sameAscii(second, nul)) {
                s = second;
            } else {
                s = new String(b, pos, n, StandardCharsets.US_ASCII);
                recent[slot + 1] = recent[slot];
                recent[slot] = s;
            }
        }
        pos = nul + 1;
        return s;
    }

    private boolean sameAscii(String s, int nul) {
        if (s.length() != nul - pos) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != b[pos + i]) {
                return false;
            }
        }
        return true;
    }
}
