package io.dbwire.daemon.bench;

import java.util.Locale;

/**
 * One measured pass. Rates are given per CPU-second (what one core does, the figure that does not depend on other
 * load) and per wall second.
 */
record BenchResult(String mode, int threads, long packets, long wireBytes, long records, long wallNanos,
        long cpuNanos, long allocatedBytes, long gcMillis, long gcCount) {

    String format() {
        double cpu = cpuNanos / 1e9;
        double wall = wallNanos / 1e9;
        return String.format(Locale.ROOT, "%-22s threads=%d packets=%d records=%d wall=%.2fs cpu=%.2fs"
                + " | per cpu-second: packets/s=%.0f Gbit/s=%.2f records/s=%.0f | per wall-second: packets/s=%.0f"
                + " Gbit/s=%.2f | alloc/packet=%.0f B gc=%d ms (%d)",
                mode, threads, packets, records, wall, cpu, packets / cpu, wireBytes * 8 / cpu / 1e9, records / cpu,
                packets / wall, wireBytes * 8 / wall / 1e9, (double) allocatedBytes / Math.max(1, packets),
                gcMillis, gcCount);
    }
}
