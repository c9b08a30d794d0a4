package io.dbwire.core.detect.baseline;

import io.dbwire.core.detect.alert.Explanation;
import io.dbwire.core.record.Endpoint;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One pair's probing errors of the last {@code windowMicros}, sliding (not cut at minute boundaries, so two dozen
 * errors straddling a minute are still two dozen), with their classes and the distinct failing statements as
 * evidence. Bounded: at most {@link #MAX_ERRORS} errors and {@link #MAX_EVIDENCE} evidence items.
 */
public final class ProbeWindow {
    static final int MAX_ERRORS = 1024;
    static final int MAX_EVIDENCE = 8;

    private record Entry(long tsMicros, ProbeErrorClass cls, String evidence, Explanation.EvidenceRecord record,
            Endpoint client) {}

    private final long windowMicros;
    private final Deque<Entry> errors = new ArrayDeque<>();
    private final int[] byClass = new int[ProbeErrorClass.values().length];

    private double referenceBefore = -1;

    /** The pair's reference as it was before the minute that just closed entered the baseline; -1 when not set. */
    public double referenceBefore() {
        return referenceBefore;
    }

    public void referenceBefore(double v) {
        referenceBefore = v;
    }

    public ProbeWindow(long windowMicros) {
        this.windowMicros = windowMicros;
    }

    /** Adds one probing error at {@code nowMicros} and forgets those older than the window. */
    public void add(long nowMicros, ProbeErrorClass cls, String evidence, Explanation.EvidenceRecord record,
            Endpoint client) {
        expire(nowMicros);
        if (errors.size() == MAX_ERRORS) {
            byClass[errors.removeFirst().cls().ordinal()]--;
        }
        errors.addLast(new Entry(nowMicros, cls, evidence, record, client));
        byClass[cls.ordinal()]++;
    }

    public void expire(long nowMicros) {
        while (!errors.isEmpty() && nowMicros - errors.peekFirst().tsMicros() > windowMicros) {
            byClass[errors.removeFirst().cls().ordinal()]--;
        }
    }

    public int size() {
        return errors.size();
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public long firstMicros() {
        return errors.isEmpty() ? Long.MIN_VALUE : errors.peekFirst().tsMicros();
    }

    public int count(ProbeErrorClass c) {
        return byClass[c.ordinal()];
    }

    /** Classes present, most typical of injection first. */
    public List<ProbeErrorClass> classes() {
        List<ProbeErrorClass> out = new ArrayList<>();
        for (ProbeErrorClass c : ProbeErrorClass.values()) {
            if (byClass[c.ordinal()] > 0) {
                out.add(c);
            }
        }
        return out;
    }

    /** Sum of the weights of the classes present. */
    public int classWeight() {
        int w = 0;
        for (ProbeErrorClass c : classes()) {
            w += c.weight();
        }
        return w;
    }

    /** Distinct evidence items, newest first, with their records; at most {@link #MAX_EVIDENCE}. */
    public void evidence(EvidenceConsumer out) {
        List<String> seen = new ArrayList<>();
        for (var it = errors.descendingIterator(); it.hasNext() && seen.size() < MAX_EVIDENCE; ) {
            Entry e = it.next();
            if (!seen.contains(e.evidence())) {
                seen.add(e.evidence());
                out.accept(e.evidence(), e.record(), e.client());
            }
        }
    }

    /** Receives one evidence item. */
    public interface EvidenceConsumer {
        void accept(String item, Explanation.EvidenceRecord record, Endpoint client);
    }
}
