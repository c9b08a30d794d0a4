package io.dbwire.core.tls;

import io.dbwire.core.memory.MemoryAccount;
import io.dbwire.core.memory.MemoryConsumer;
import io.dbwire.core.memory.ShedReason;
import io.dbwire.core.tcp.Direction;
import io.dbwire.core.util.ReasonCounters;
import java.util.ArrayDeque;

/**
 * Decrypts the protected records of one TLS session once its secrets are in the {@link KeyLogStore}.
 *
 * <p>Which records are protected: TLS 1.3, every application_data record after the ServerHello (RFC 8446 5;
 * the first flights carry the handshake under the handshake traffic secrets, the rest the application ones,
 * switched at each side's Finished and on KeyUpdate); TLS 1.2, everything after a side's ChangeCipherSpec.
 *
 * <p>Records that arrive before their keys wait, in arrival order across both directions (so the downstream
 * parser sees requests and responses interleaved as on the wire), within {@code pendingBudget} bytes. Every
 * record leaves with one {@link DecryptOutcome}; undecryptable ones become a gap on the plaintext stream, so
 * the downstream parser never receives spliced bytes.
 */
final class SessionDecryptor {

    interface Output {
        /** Plaintext of one record: {@code contentType} is the inner type (TLS 1.3) or the record type. */
        void onPlaintext(Direction d, int contentType, byte[] b, int off, int len, long tsMicros);

        void onPlaintextLost(Direction d, long bytes, long tsMicros);
    }

    private enum Stage {
        CLEAR,
        HANDSHAKE_KEYS,
        APPLICATION_KEYS,
        LOST
    }

    private enum Kind {
        RECORD,
        /** A record lost in a gap: only its length is known. */
        LOST_RECORD,
        /** Where a direction overflowed the wait buffer. */
        OVERFLOW,
        /** Where a direction lost its record framing; {@code length} is the missing byte count. */
        FRAMING_LOST
    }

    /** An entry of the wait queue, kept in arrival order so losses surface where they happened. */
    private record Pending(Direction d, Kind kind, int type, int version, byte[] fragment, long length, long ts) {}

    private final KeyLogStore store;
    private final Output output;
    private final ReasonCounters<DecryptOutcome> outcomes;
    private final int pendingBudget;
    private final long keyWaitMicros;
    /** Packet time of the first record that had to wait for keys, or -1. */
    private long waitingSince = -1;
    /** The wait for keys ran out: every protected record from now on is NO_KEYS, without a lookup. */
    private boolean gaveUp;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private int pendingBytes;
    private final boolean[] overflowed = new boolean[2];
    /** Plaintext estimate of the records refused after a direction overflowed, reported at its marker. */
    private final long[] overflowLost = new long[2];
    /** Allocated at the first record to decrypt: sessions without keys never pay for it. */
    private byte[] out;
    /** Ciphertext waiting for keys is charged here. */
    private MemoryAccount memory = MemoryAccount.NONE;

    private byte[] clientRandom;
    private ServerHello serverHello;
    private TlsCipherSuite suite;
    private boolean resolved;
    private final Stage[] stage = {Stage.CLEAR, Stage.CLEAR};
    private final RecordCipher[] current = new RecordCipher[2];
    private final RecordCipher[] application = new RecordCipher[2];
    private boolean anyDecrypted;

    SessionDecryptor(KeyLogStore store, Output output, ReasonCounters<DecryptOutcome> outcomes, int pendingBudget,
            long keyWaitMicros) {
        this.store = store;
        this.output = output;
        this.outcomes = outcomes;
        this.pendingBudget = pendingBudget;
        this.keyWaitMicros = keyWaitMicros;
    }

    void onClientHello(byte[] random) {
        if (clientRandom == null) {
            clientRandom = random;
        }
    }

    void onServerHello(ServerHello hello) {
        if (hello.helloRetry()) {
            return;
        }
        serverHello = hello;
        suite = TlsCipherSuite.byId(hello.cipherSuite());
        if (hello.version() == TlsConstants.TLS13) {
            for (int i = 0; i < 2; i++) {
                if (stage[i] == Stage.CLEAR) { // a direction already LOST stays lost
                    stage[i] = Stage.HANDSHAKE_KEYS;
                }
            }
        }
    }

    /** TLS 1.2: the records this side sends next are protected (RFC 5246 7.1). TLS 1.3: a no-op (D.4). */
    void onChangeCipherSpec(Direction d) {
        if (serverHello != null && serverHello.version() != TlsConstants.TLS13 && stage[d.ordinal()] == Stage.CLEAR) {
            stage[d.ordinal()] = Stage.APPLICATION_KEYS;
        }
    }

    boolean isProtected(Direction d, int contentType) {
        if (serverHello == null) {
            // Before a ServerHello application data is either TLS 1.3 0-RTT (client, after a ClientHello) or,
            // without any ClientHello, a connection picked up mid-stream: protected either way.
            return contentType == TlsConstants.APPLICATION_DATA;
        }
        if (serverHello.version() == TlsConstants.TLS13) {
            return contentType == TlsConstants.APPLICATION_DATA;
        }
        return stage[d.ordinal()] != Stage.CLEAR;
    }

    boolean anyDecrypted() {
        return anyDecrypted;
    }

    void onRecord(Direction d, int type, int version, byte[] frag, int off, int len, long ts) {
        if (serverHello == null) {
            outcomes.increment(clientRandom == null ? DecryptOutcome.NO_CLIENT_HELLO : DecryptOutcome.EARLY_DATA);
            output.onPlaintextLost(d, len, ts);
            return;
        }
        if (!resolved && !resolve(ts)) {
            hold(d, Kind.RECORD, type, version, frag, off, len, ts);
            return;
        }
        drain();
        process(d, type, version, frag, off, len, ts);
    }

    /** A record of this direction lost part of its bytes; framing survived. */
    void onLostRecord(Direction d, int type, int len, long ts) {
        if (!isProtected(d, type)) {
            return;
        }
        if (!resolved && !resolve(ts)) {
            hold(d, Kind.LOST_RECORD, type, 0, null, 0, len, ts);
            return;
        }
        drain();
        lose(d, len, ts);
    }

    /** Record boundaries of this direction are lost: nothing more of it can be decrypted. */
    void onFramingLost(Direction d, long missing, long ts) {
        if (!resolved && !pending.isEmpty()) {
            // Records already waiting may still decrypt: the loss takes effect at its place in the queue.
            pending.add(new Pending(d, Kind.FRAMING_LOST, 0, 0, null, missing, ts));
            return;
        }
        stage[d.ordinal()] = Stage.LOST;
        output.onPlaintextLost(d, missing, ts);
    }

    /** TLS 1.3: this side's Finished was decrypted; its next records use the application traffic secret. */
    void onFinished(Direction d) {
        int i = d.ordinal();
        if (serverHello != null && serverHello.version() == TlsConstants.TLS13 && stage[i] == Stage.HANDSHAKE_KEYS) {
            stage[i] = Stage.APPLICATION_KEYS;
            current[i] = application[i];
        }
    }

    /** TLS 1.3 KeyUpdate from this side: its next records use the next traffic secret (RFC 8446 4.6.3). */
    void onKeyUpdate(Direction d) {
        int i = d.ordinal();
        if (stage[i] == Stage.APPLICATION_KEYS && current[i] != null && current[i].isTls13()) {
            current[i] = current[i].next();
            application[i] = current[i];
        }
    }

    /** Last chance for late keys; whatever still waits is counted as {@link DecryptOutcome#NO_KEYS}. */
    void close(long ts) {
        if (!resolved && !pending.isEmpty()) {
            resolve(ts);
        }
        if (resolved) {
            drain();
            return;
        }
        giveUp();
    }

    /** No keys will be used for this session: flush what waits, in order, as losses. */
    private void giveUp() {
        gaveUp = true;
        for (Pending p : pending) {
            switch (p.kind) {
                case OVERFLOW:
                    overflowMarker(p);
                    break;
                case FRAMING_LOST:
                    output.onPlaintextLost(p.d, p.length, p.ts);
                    break;
                default:
                    outcomes.increment(p.kind == Kind.LOST_RECORD ? DecryptOutcome.LOST_IN_GAP : DecryptOutcome.NO_KEYS);
                    output.onPlaintextLost(p.d, plaintextEstimate((int) p.length), p.ts);
            }
        }
        pending.clear();
        memory.shrink(MemoryConsumer.TLS_SESSIONS, pendingBytes);
        pendingBytes = 0;
    }

    private boolean resolve(long ts) {
        if (gaveUp || store == null || clientRandom == null || suite == null) {
            return false;
        }
        if (waitingSince >= 0 && ts - waitingSince > keyWaitMicros) {
            giveUp();
            return false;
        }
        SessionSecrets s = store.lookup(clientRandom, ts);
        if (s == null) {
            return false;
        }
        if (suite.tls13) {
            if (!s.has(SessionSecrets.Label.CLIENT_TRAFFIC_SECRET_0)
                    || !s.has(SessionSecrets.Label.SERVER_TRAFFIC_SECRET_0)) {
                return false;
            }
            // Derive every key now: the store may wipe the secrets when they expire.
            application[0] = RecordCipher.tls13(suite, s.get(SessionSecrets.Label.CLIENT_TRAFFIC_SECRET_0));
            application[1] = RecordCipher.tls13(suite, s.get(SessionSecrets.Label.SERVER_TRAFFIC_SECRET_0));
            current[0] = handshakeCipher(s, SessionSecrets.Label.CLIENT_HANDSHAKE_TRAFFIC_SECRET);
            current[1] = handshakeCipher(s, SessionSecrets.Label.SERVER_HANDSHAKE_TRAFFIC_SECRET);
        } else {
            if (!s.has(SessionSecrets.Label.CLIENT_RANDOM) || s.masterSecret().length != 48) {
                return false;
            }
            RecordCipher[] both = RecordCipher.tls12(suite, s.masterSecret(), clientRandom, serverHello.random());
            current[0] = both[0];
            current[1] = both[1];
        }
        resolved = true;
        return true;
    }

    private RecordCipher handshakeCipher(SessionSecrets s, SessionSecrets.Label label) {
        return s.has(label) ? RecordCipher.tls13(suite, s.get(label)) : null;
    }

    private void hold(Direction d, Kind kind, int type, int version, byte[] frag, int off, int len, long ts) {
        DecryptOutcome refusal = store == null || gaveUp ? DecryptOutcome.NO_KEYS
                : clientRandom == null ? DecryptOutcome.NO_CLIENT_HELLO
                : suite == null ? DecryptOutcome.UNSUPPORTED_CIPHER : null;
        if (refusal != null) {
            outcomes.increment(refusal);
            output.onPlaintextLost(d, plaintextEstimate(len), ts);
            return;
        }
        if (waitingSince < 0) {
            waitingSince = ts;
        }
        int size = frag == null ? 0 : len;
        int i = d.ordinal();
        if (overflowed[i] || pendingBytes + size > pendingBudget
                || !memory.tryGrow(MemoryConsumer.TLS_SESSIONS, size, ShedReason.TLS_RECORD_DROPPED)) {
            outcomes.increment(DecryptOutcome.BUFFER_FULL);
            if (!overflowed[i]) {
                overflowed[i] = true;
                pending.add(new Pending(d, Kind.OVERFLOW, type, version, null, 0, ts)); // one per direction
            }
            overflowLost[i] += plaintextEstimate(len);
            return;
        }
        byte[] copy = null;
        if (frag != null) {
            copy = new byte[len];
            System.arraycopy(frag, off, copy, 0, len);
        }
        pendingBytes += size;
        outcomes.increment(DecryptOutcome.QUEUED_FOR_KEYS);
        pending.add(new Pending(d, kind, type, version, copy, len, ts));
    }

    private void drain() {
        while (!pending.isEmpty()) {
            Pending p = pending.poll();
            switch (p.kind) {
                case OVERFLOW:
                    overflowMarker(p);
                    break;
                case FRAMING_LOST:
                    stage[p.d.ordinal()] = Stage.LOST;
                    output.onPlaintextLost(p.d, p.length, p.ts);
                    break;
                case LOST_RECORD:
                    lose(p.d, (int) p.length, p.ts);
                    break;
                default:
                    process(p.d, p.type, p.version, p.fragment, 0, (int) p.length, p.ts);
            }
        }
        memory.shrink(MemoryConsumer.TLS_SESSIONS, pendingBytes);
        pendingBytes = 0;
    }

    /** Where a direction overflowed the wait buffer: its sequence numbers are unknown from here on. */
    private void overflowMarker(Pending p) {
        int i = p.d.ordinal();
        stage[i] = Stage.LOST;
        output.onPlaintextLost(p.d, overflowLost[i], p.ts);
        overflowLost[i] = 0;
    }

    private void lose(Direction d, int len, long ts) {
        int i = d.ordinal();
        outcomes.increment(DecryptOutcome.LOST_IN_GAP);
        output.onPlaintextLost(d, plaintextEstimate(len), ts);
        if (stage[i] == Stage.APPLICATION_KEYS && current[i] != null) {
            current[i].skip(); // the peer used a sequence number for it; later records still open
        } else {
            stage[i] = Stage.LOST; // a lost handshake record may have held the Finished: key stage unknown
        }
    }

    void chargeTo(MemoryAccount account) {
        this.memory = account;
    }

    private byte[] out() {
        if (out == null) {
            out = new byte[TlsConstants.MAX_RECORD_BODY];
        }
        return out;
    }

    private void process(Direction d, int type, int version, byte[] frag, int off, int len, long ts) {
        int i = d.ordinal();
        if (stage[i] == Stage.LOST) {
            outcomes.increment(DecryptOutcome.AFTER_LOSS);
            output.onPlaintextLost(d, plaintextEstimate(len), ts);
            return;
        }
        RecordCipher cipher = current[i];
        if (cipher == null && stage[i] == Stage.HANDSHAKE_KEYS) {
            // No handshake secret logged: skip handshake records until one opens under the application key.
            cipher = application[i];
            int n = cipher.open(type, version, frag, off, len, out());
            if (n < 0) {
                cipher.rewind();
                outcomes.increment(DecryptOutcome.NO_KEYS);
                return;
            }
            stage[i] = Stage.APPLICATION_KEYS;
            current[i] = cipher;
            deliver(d, type, n, ts);
            return;
        }
        if (cipher == null) {
            outcomes.increment(DecryptOutcome.NO_KEYS);
            output.onPlaintextLost(d, plaintextEstimate(len), ts);
            return;
        }
        int n = cipher.open(type, version, frag, off, len, out());
        if (n == RecordCipher.TOO_SHORT) {
            outcomes.increment(DecryptOutcome.TRUNCATED);
            return;
        }
        if (n == RecordCipher.TAG_FAILURE) {
            outcomes.increment(DecryptOutcome.TAG_FAILURE);
            output.onPlaintextLost(d, plaintextEstimate(len), ts);
            return;
        }
        deliver(d, type, n, ts);
    }

    private void deliver(Direction d, int recordType, int n, long ts) {
        int type = recordType;
        int len = n;
        if (current[d.ordinal()].isTls13()) {
            // TLSInnerPlaintext: content, then the real type, then zero padding (RFC 8446 5.2).
            while (len > 0 && out[len - 1] == 0) {
                len--;
            }
            if (len == 0) {
                outcomes.increment(DecryptOutcome.BAD_INNER_PLAINTEXT);
                return;
            }
            type = out[--len] & 0xff;
        }
        outcomes.increment(DecryptOutcome.DECRYPTED);
        anyDecrypted = true;
        output.onPlaintext(d, type, out, 0, len, ts);
    }

    private int plaintextEstimate(int recordLength) {
        if (suite == null) {
            return recordLength;
        }
        int overhead = TlsCipherSuite.TAG + (suite.tls13 ? 1 : suite.aead == TlsCipherSuite.Aead.AES_GCM ? 8 : 0);
        return Math.max(0, recordLength - overhead);
    }
}
