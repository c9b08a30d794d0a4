package io.dbwire.core.tls;

import io.dbwire.core.record.TlsInfo;
import io.dbwire.core.tcp.StreamListener;
import io.dbwire.core.util.ReasonCounters;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the protocol parsers share to read TLS: the key store (null = metadata only), the per-session bounds, and
 * the engine-wide counters every session's summary is added to. One per engine; used by the packet thread only,
 * except {@link #keyLogCounters()} (the store is thread-safe) and the counter snapshots (may lag, like all
 * {@link ReasonCounters}).
 */
public final class TlsContext {
    private final KeyLogStore keys;
    private final TlsOptions options;
    private final ReasonCounters<DecryptOutcome> outcomes = new ReasonCounters<>(DecryptOutcome.class);
    private final ReasonCounters<TlsViolation> violations = new ReasonCounters<>(TlsViolation.class);
    private final ReasonCounters<TlsSessionEvent> sessions = new ReasonCounters<>(TlsSessionEvent.class);

    /** @param keysOrNull where session secrets arrive; null reads metadata only */
    public TlsContext(KeyLogStore keysOrNull, TlsOptions options) {
        this.keys = keysOrNull;
        this.options = options == null ? TlsOptions.DEFAULTS : options;
    }

    /** No keys: every TLS session gives its metadata record only. */
    public static TlsContext metadataOnly() {
        return new TlsContext(null, TlsOptions.DEFAULTS);
    }

    public boolean hasKeys() {
        return keys != null;
    }

    /**
     * A listener for one connection's TLS bytes: plaintext to {@code downstream}, and at close the summary to
     * {@code onSummary} after it was counted here.
     */
    public TlsDecryptingListener open(StreamListener downstream, Consumer<TlsSessionSummary> onSummary) {
        return new TlsDecryptingListener(downstream, keys, summary -> {
            count(summary);
            onSummary.accept(summary);
        }, options);
    }

    private void count(TlsSessionSummary s) {
        sessions.increment(TlsSessionEvent.SESSIONS);
        if (s.decrypted()) {
            sessions.increment(TlsSessionEvent.SESSIONS_DECRYPTED);
        } else {
            sessions.increment(keys == null ? TlsSessionEvent.SESSIONS_METADATA_ONLY
                    : TlsSessionEvent.SESSIONS_WITHOUT_KEYS);
        }
        s.decryptOutcomes().forEach(outcomes::add);
        s.violations().forEach(violations::add);
    }

    public ReasonCounters<DecryptOutcome> decryptOutcomes() {
        return outcomes;
    }

    public ReasonCounters<TlsViolation> violations() {
        return violations;
    }

    public ReasonCounters<TlsSessionEvent> sessions() {
        return sessions;
    }

    /** The key store's line and lookup counters (empty without a store). */
    public Map<KeyLogOutcome, Long> keyLogCounters() {
        return keys == null ? Map.of() : keys.counters();
    }

    /** The record's {@code tls} block from a session summary. */
    public static TlsInfo info(TlsSessionSummary s) {
        CertificateSummary c = s.certificate();
        TurnStats t = s.turns();
        return new TlsInfo(s.version(), s.cipherSuite(), s.sni(),
                s.alpnOffered() == null ? List.of() : List.copyOf(s.alpnOffered()), s.alpnSelected(),
                s.ja3(), s.ja3Hash(), s.ja4(),
                c == null ? null : new TlsInfo.Certificate(c.subject(), c.issuer(), c.notAfterMicros()),
                s.handshakeMicros(),
                new TlsInfo.Flow(s.clientBytes(), s.clientRecords()),
                new TlsInfo.Flow(s.serverBytes(), s.serverRecords()),
                new TlsInfo.Turns(t.turns(), t.requestBytes(), t.responseBytes(), t.maxRequestBytes(),
                        t.maxResponseBytes(), t.sumLatencyMicros(), t.maxLatencyMicros(), t.unansweredServerBursts()),
                s.decrypted(), names(s.decryptOutcomes()), names(s.violations()));
    }

    private static <E extends Enum<E>> Map<String, Long> names(Map<E, Long> counts) {
        if (counts == null || counts.isEmpty()) {
            return Map.of();
        }
        Map<String, Long> out = new LinkedHashMap<>();
        counts.forEach((k, v) -> out.put(k.name().toLowerCase(Locale.ROOT), v));
        return Collections.unmodifiableMap(out);
    }
}
