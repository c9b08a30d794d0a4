package io.dbwire.core.detect.detector;

import io.dbwire.core.detect.alert.AlertDraft;
import io.dbwire.core.detect.alert.AlertSuppressor;
import io.dbwire.core.detect.baseline.RecordFigures;
import io.dbwire.core.detect.engine.DetectEvent;
import io.dbwire.core.detect.engine.WindowClock;
import io.dbwire.core.config.DetectionConfig;
import io.dbwire.core.memory.MemoryBudget;
import io.dbwire.core.util.ReasonCounters;

/** What the engine lends its detectors: settings, counters, the clock, and the way to raise an alert. */
public final class DetectContext {
    private final DetectionConfig config;
    private final ReasonCounters<DetectEvent> counters;
    private final WindowClock clock;
    private final AlertSuppressor suppressor;
    private final MemoryBudget memory;
    private final RecordKeys keys = new RecordKeys();
    private final RecordFigures figures = new RecordFigures();

    public DetectContext(DetectionConfig config, ReasonCounters<DetectEvent> counters, WindowClock clock,
            AlertSuppressor suppressor) {
        this(config, counters, clock, suppressor, MemoryBudget.unlimited());
    }

    /** @param memory the budget per-entity tables draw from (detection's slice, on detection's thread) */
    public DetectContext(DetectionConfig config, ReasonCounters<DetectEvent> counters, WindowClock clock,
            AlertSuppressor suppressor, MemoryBudget memory) {
        this.memory = memory;
        this.config = config;
        this.counters = counters;
        this.clock = clock;
        this.suppressor = suppressor;
    }

    public DetectionConfig config() {
        return config;
    }

    public ReasonCounters<DetectEvent> counters() {
        return counters;
    }

    public MemoryBudget memory() {
        return memory;
    }

    /** The observed record's entity keys, shared by the detectors (see {@link RecordKeys}). */
    public RecordKeys keys() {
        return keys;
    }

    /** The observed record's metric figures, shared by the baseline tables (see {@link RecordFigures}). */
    public RecordFigures figures() {
        return figures;
    }

    public WindowClock clock() {
        return clock;
    }

    /** An empty candidate for {@code detection}, with the configured evidence limit. */
    public AlertDraft draft(String detection, String mitre) {
        return new AlertDraft(detection, mitre, config.maxEvidence());
    }

    /** Hands a candidate to suppression; it is emitted now, folded, or emitted when the suppression ends. */
    public void raise(AlertDraft draft, long nowMicros) {
        suppressor.offer(draft, nowMicros);
    }
}
