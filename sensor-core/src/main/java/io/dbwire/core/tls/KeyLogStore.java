package io.dbwire.core.tls;

import io.dbwire.core.util.ReasonCounters;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Session secrets in memory, keyed by client random, from NSS key log lines:
 *
 * <pre>
 * CLIENT_RANDOM &lt;64 hex client random&gt; &lt;96 hex master secret&gt;              (TLS 1.2)
 * CLIENT_HANDSHAKE_TRAFFIC_SECRET &lt;64 hex client random&gt; &lt;hex secret&gt;      (TLS 1.3, also SERVER_,
 * CLIENT_TRAFFIC_SECRET_0 / SERVER_TRAFFIC_SECRET_0)
 * </pre>
 *
 * Bounded to {@code maxSessions} (the oldest insertion goes first) and expired {@code ttlMicros} after the first
 * line of a session, on whatever clock the caller passes (packet time in the engine). Secrets are never logged:
 * nothing here prints them, and rejected lines are counted, not echoed. Thread-safe: a key forwarder may add
 * while the packet thread looks up.
 */
public final class KeyLogStore {
    private final int maxSessions;
    private final long ttlMicros;
    private final Map<RandomKey, SessionSecrets> sessions = new LinkedHashMap<>();
    private final ReasonCounters<KeyLogOutcome> counters = new ReasonCounters<>(KeyLogOutcome.class);

    public KeyLogStore(int maxSessions, long ttlMicros) {
        this.maxSessions = Math.max(1, maxSessions);
        this.ttlMicros = ttlMicros;
    }

    /** Adds one key log line (without its line terminator). */
    public synchronized KeyLogOutcome addLine(CharSequence line, long nowMicros) {
        KeyLogOutcome outcome = parseAndAdd(line, nowMicros);
        counters.increment(outcome);
        return outcome;
    }

    /** Adds every line of a key log text; returns how many lines were added. */
    public int addLines(CharSequence text, long nowMicros) {
        int added = 0;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\n') {
                int end = i > start && text.charAt(i - 1) == '\r' ? i - 1 : i;
                if (addLine(text.subSequence(start, end), nowMicros) == KeyLogOutcome.ADDED) {
                    added++;
                }
                start = i + 1;
            }
        }
        return added;
    }

    /** @return the secrets known for this client random, or null (none, or expired) */
    public synchronized SessionSecrets lookup(byte[] clientRandom, long nowMicros) {
        expire(nowMicros);
        SessionSecrets s = clientRandom == null || clientRandom.length != 32
                ? null : sessions.get(new RandomKey(clientRandom));
        counters.increment(s == null ? KeyLogOutcome.LOOKUP_MISS : KeyLogOutcome.LOOKUP_HIT);
        return s;
    }

    public synchronized int size() {
        return sessions.size();
    }

    /** A snapshot of the counters (safe to read from another thread). */
    public synchronized Map<KeyLogOutcome, Long> counters() {
        return counters.nonZero();
    }

    @Override
    public synchronized String toString() {
        return "KeyLogStore[sessions=" + sessions.size() + ", secrets redacted]";
    }

    private KeyLogOutcome parseAndAdd(CharSequence line, long now) {
        String s = line.toString().trim();
        if (s.isEmpty() || s.charAt(0) == '#') {
            return KeyLogOutcome.IGNORED;
        }
        String[] f = s.split("\\s+");
        if (f.length != 3) {
            return KeyLogOutcome.MALFORMED;
        }
        SessionSecrets.Label label;
        try {
            label = SessionSecrets.Label.valueOf(f[0]);
        } catch (IllegalArgumentException e) {
            return KeyLogOutcome.UNUSED_LABEL;
        }
        byte[] random = unhex(f[1]);
        byte[] secret = unhex(f[2]);
        // Secrets are 48 bytes (TLS 1.2 master secret) or the suite's hash length (32 or 48) in TLS 1.3.
        if (random == null || random.length != 32 || secret == null || (secret.length != 32 && secret.length != 48)) {
            return KeyLogOutcome.MALFORMED;
        }
        expire(now);
        RandomKey key = new RandomKey(random);
        SessionSecrets current = sessions.get(key);
        if (current == null) {
            if (sessions.size() >= maxSessions) {
                Iterator<SessionSecrets> oldest = sessions.values().iterator();
                oldest.next().wipe();
                oldest.remove();
                counters.increment(KeyLogOutcome.EVICTED);
            }
            current = SessionSecrets.empty(now);
        }
        sessions.put(key, current.with(label, secret));
        Arrays.fill(secret, (byte) 0);
        return KeyLogOutcome.ADDED;
    }

    private void expire(long now) {
        Iterator<SessionSecrets> it = sessions.values().iterator();
        while (it.hasNext()) {
            SessionSecrets s = it.next();
            if (now - s.addedMicros() <= ttlMicros) {
                break; // insertion order: the rest are younger
            }
            s.wipe();
            it.remove();
            counters.increment(KeyLogOutcome.EXPIRED);
        }
    }

    private static byte[] unhex(String s) {
        if ((s.length() & 1) != 0) {
            return null;
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16);
            int lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /** Content-equality key over a 32-byte client random. */
    private record RandomKey(long a, long b, long c, long d) {
        RandomKey(byte[] r) {
            this(word(r, 0), word(r, 8), word(r, 16), word(r, 24));
        }

        private static long word(byte[] r, int at) {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (r[at + i] & 0xff);
            }
            return v;
        }
    }
}
