package io.dbwire.core.tls;

import io.dbwire.core.memory.MemoryAccount;
import io.dbwire.core.memory.MemoryConsumer;
import io.dbwire.core.util.ReasonCounters;

/**
 * Joins one direction's handshake bytes into whole handshake messages. TLS lets a message span records
 * (certificate chains do) and a record carry several messages (RFC 8446 5.1), so records are not messages.
 *
 * <pre>
 * +--------+--------+--------+--------+-------------------+
 * |  type  |      length (24 bits)    |  body (length)    |
 * +--------+--------+--------+--------+-------------------+
 * </pre>
 *
 * Buffering is bounded by {@code maxMessage}; a longer message is counted and its body skipped.
 */
final class HandshakeAssembler {

    interface Sink {
        void onHandshake(int type, byte[] body, int offset, int length, long tsMicros);
    }

    private static final int HEADER = 4;
    private final Sink sink;
    private final ReasonCounters<TlsViolation> violations;
    private final int maxMessage;
    private byte[] buffer = new byte[1024];
    /** Growth is charged here (bounded by maxMessage; idle sessions are shed as flows). */
    private MemoryAccount memory = MemoryAccount.NONE;
    private int filled;
    private long skip;

    HandshakeAssembler(Sink sink, ReasonCounters<TlsViolation> violations, int maxMessage) {
        this.sink = sink;
        this.violations = violations;
        this.maxMessage = maxMessage;
    }

    void feed(byte[] data, int offset, int length, long tsMicros) {
        int pos = offset;
        int end = offset + length;
        while (pos < end) {
            if (skip > 0) {
                int n = (int) Math.min(skip, end - pos);
                skip -= n;
                pos += n;
                continue;
            }
            // Whole message in the caller's bytes and nothing buffered: no copy.
            if (filled == 0 && end - pos >= HEADER) {
                int len = length24(data, pos + 1);
                if (len > maxMessage) {
                    violations.increment(TlsViolation.HANDSHAKE_TOO_LONG);
                    skip = len;
                    pos += HEADER;
                    continue;
                }
                if (end - pos - HEADER >= len) {
                    sink.onHandshake(data[pos] & 0xff, data, pos + HEADER, len, tsMicros);
                    pos += HEADER + len;
                    continue;
                }
            }
            int need = filled < HEADER ? HEADER - filled : HEADER + length24(buffer, 1) - filled;
            if (filled >= HEADER && length24(buffer, 1) > maxMessage) {
                violations.increment(TlsViolation.HANDSHAKE_TOO_LONG);
                skip = length24(buffer, 1) - (filled - HEADER);
                filled = 0;
                continue;
            }
            int n = Math.min(need, end - pos);
            ensure(filled + n);
            System.arraycopy(data, pos, buffer, filled, n);
            filled += n;
            pos += n;
            if (filled >= HEADER && filled == HEADER + length24(buffer, 1)) {
                filled = 0;
                sink.onHandshake(buffer[0] & 0xff, buffer, HEADER, length24(buffer, 1), tsMicros);
            }
        }
    }

    void chargeTo(MemoryAccount account) {
        this.memory = account;
    }

    /** Bytes of this direction's handshake stream went missing: drop the partial message. */
    void reset() {
        filled = 0;
        skip = 0;
    }

    private void ensure(int size) {
        if (size > buffer.length) {
            byte[] bigger = new byte[Math.min(Math.max(size, buffer.length * 2), HEADER + maxMessage)];
            System.arraycopy(buffer, 0, bigger, 0, filled);
            memory.grow(MemoryConsumer.TLS_SESSIONS, bigger.length - buffer.length);
            buffer = bigger;
        }
    }

    static int length24(byte[] b, int at) {
        return ((b[at] & 0xff) << 16) | ((b[at + 1] & 0xff) << 8) | (b[at + 2] & 0xff);
    }
}
