package io.dbwire.core.detect.alert;

import io.dbwire.core.detect.engine.BoundedLru;
import io.dbwire.core.detect.engine.DetectEvent;
import io.dbwire.core.util.ReasonCounters;
import java.util.PriorityQueue;

/**
 * Deduplicates alerts per (detection, entity) over {@code suppressionMicros} of packet time, like Zeek's notice
 * suppression, and keeps the count of what it folded.
 *
 * <ul>
 *   <li>A candidate with no active suppression is emitted at once ({@code folded} 0) and opens a suppression.
 *   <li>A candidate inside an active suppression is folded: the count grows and the latest candidate is kept.
 *   <li>When the suppression ends with folded repeats, the latest one is emitted with {@code folded} = the count,
 *       timestamped at the suppression's end, and a new suppression opens; when it ends with none, the key is
 *       forgotten. So a continuing attack gives one alert per suppression period, and nothing folded is lost.
 *   <li>A candidate of higher severity than the last emitted one breaks through at once (escalation), carrying
 *       the repeats folded so far.
 *   <li>At end of input, pending folded repeats are emitted at the final packet time.
 * </ul>
 * Entries are bounded by {@code maxEntities}; an evicted entry's folded count is lost and counted.
 */
public final class AlertSuppressor {
    private static final class Entry {
        long untilMicros;
        Severity lastSeverity;
        int folded;
        AlertDraft pending;
        boolean evicted;
    }

    /** An expiry to check; stale when the entry was evicted or re-opened since. */
    private record Expiry(long untilMicros, String key, Entry entry) {}

    private final long suppressionMicros;
    private final AlertSink sink;
    private final ReasonCounters<DetectEvent> counters;
    private final BoundedLru<String, Entry> entries;
    private final PriorityQueue<Expiry> expiries =
            new PriorityQueue<>((a, b) -> Long.compare(a.untilMicros(), b.untilMicros()));
    private long emitted;

    public AlertSuppressor(long suppressionMicros, int maxEntries, AlertSink sink, ReasonCounters<DetectEvent> counters) {
        this.suppressionMicros = Math.max(0, suppressionMicros);
        this.sink = sink;
        this.counters = counters;
        this.entries = new BoundedLru<>(maxEntries, (k, e) -> {
            e.evicted = true;
            counters.increment(DetectEvent.SUPPRESSION_EVICTED);
        });
    }

    public void offer(AlertDraft draft, long nowMicros) {
        String key = draft.suppressionKey();
        Entry e = entries.get(key);
        if (e != null && nowMicros < e.untilMicros) {
            if (draft.severity().compareTo(e.lastSeverity) > 0) {
                counters.increment(DetectEvent.ALERTS_ESCALATED);
                emit(draft, nowMicros, e.folded);
                open(key, e, draft.severity(), nowMicros);
                return;
            }
            e.folded++;
            e.pending = draft;
            counters.increment(DetectEvent.ALERTS_SUPPRESSED);
            return;
        }
        if (e == null) {
            e = new Entry();
            entries.put(key, e);
        }
        emit(draft, nowMicros, 0);
        open(key, e, draft.severity(), nowMicros);
    }

    /** Ends the suppressions that are over at {@code nowMicros}, emitting their folded repeats. */
    public void advance(long nowMicros) {
        while (!expiries.isEmpty() && expiries.peek().untilMicros() <= nowMicros) {
            Expiry x = expiries.poll();
            Entry e = x.entry();
            if (e.evicted || e.untilMicros != x.untilMicros()) {
                continue;
            }
            if (e.folded > 0) {
                counters.increment(DetectEvent.FOLDED_REPORTED);
                emit(e.pending, x.untilMicros(), e.folded);
                open(x.key(), e, e.pending.severity(), x.untilMicros());
            } else {
                entries.remove(x.key());
            }
        }
    }

    /** End of input: emits every pending folded repeat at {@code nowMicros}, in expiry order. */
    public void finish(long nowMicros) {
        while (!expiries.isEmpty()) {
            Expiry x = expiries.poll();
            Entry e = x.entry();
            if (e.evicted || e.untilMicros != x.untilMicros() || e.folded == 0) {
                continue;
            }
            counters.increment(DetectEvent.FOLDED_REPORTED);
            emit(e.pending, nowMicros, e.folded);
            e.folded = 0;
            e.pending = null;
        }
    }

    public long emitted() {
        return emitted;
    }

    private void open(String key, Entry e, Severity severity, long fromMicros) {
        e.folded = 0;
        e.pending = null;
        e.lastSeverity = severity;
        e.untilMicros = saturatedAdd(fromMicros, suppressionMicros);
        expiries.add(new Expiry(e.untilMicros, key, e));
    }

    private void emit(AlertDraft draft, long tsMicros, int folded) {
        emitted++;
        counters.increment(DetectEvent.ALERTS_EMITTED);
        sink.accept(draft.toAlert(tsMicros, folded));
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
