package io.dbwire.daemon.console.traffic;

/**
 * A ring of {@code length} periods of {@code periodMicros} each, addressed by packet time: the last hour by minute,
 * the last day by quarter hour. A slot is reset when time reaches it again; an observation older than the ring
 * (a long statement finishing late, a replay of older files) is counted in {@link #late()}, not placed.
 */
final class TimeSeries {
    private final long periodMicros;
    private final SeriesSlot[] slots;
    private long late;

    TimeSeries(long periodMicros, int length) {
        this.periodMicros = periodMicros;
        this.slots = new SeriesSlot[length];
        for (int i = 0; i < length; i++) {
            slots[i] = new SeriesSlot();
        }
    }

    /** The slot for packet time {@code tsMicros}, or null when that time is older than the ring keeps. */
    SeriesSlot slot(long tsMicros) {
        long period = Math.floorDiv(tsMicros, periodMicros);
        SeriesSlot s = slots[(int) Math.floorMod(period, (long) slots.length)];
        if (s.period == period) {
            return s;
        }
        if (s.period > period) {
            late++;
            return null;
        }
        s.reset(period);
        return s;
    }

    /** The slot of {@code period} if the ring still holds it, else null (nothing was seen then). */
    SeriesSlot held(long period) {
        SeriesSlot s = slots[(int) Math.floorMod(period, (long) slots.length)];
        return s.period == period ? s : null;
    }

    long periodMicros() {
        return periodMicros;
    }

    int length() {
        return slots.length;
    }

    long late() {
        return late;
    }
}
