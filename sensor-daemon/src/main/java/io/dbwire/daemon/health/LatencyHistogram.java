package io.dbwire.daemon.health;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Statement durations (request's first byte to response's last, docs/records.md duration_us) in fixed Prometheus
 * buckets. Fixed bounds keep it small and mergeable across scrapes; written by pipeline threads, read by HTTP.
 */
public final class LatencyHistogram {
    /** Upper bounds in microseconds: 100 µs to 10 s, roughly 1-2.5-5 steps. */
    public static final long[] BOUNDS_MICROS = {100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000,
        250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000};

    private final AtomicLongArray buckets = new AtomicLongArray(BOUNDS_MICROS.length + 1); // last: above all
    private final LongAdder sumMicros = new LongAdder();

    public void observe(long micros) {
        int i = 0;
        while (i < BOUNDS_MICROS.length && micros > BOUNDS_MICROS[i]) {
            i++;
        }
        buckets.incrementAndGet(i);
        sumMicros.add(micros);
    }

    /** Cumulative counts per bound (Prometheus {@code le}), the last one being +Inf, i.e. the total count. */
    public long[] cumulative() {
        long[] out = new long[buckets.length()];
        long running = 0;
        for (int i = 0; i < out.length; i++) {
            running += buckets.get(i);
            out[i] = running;
        }
        return out;
    }

    public long sumMicros() {
        return sumMicros.sum();
    }
}
