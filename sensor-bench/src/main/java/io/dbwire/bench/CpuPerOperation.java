package io.dbwire.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time of the benchmark thread per operation, printed after each iteration: JMH's scores are wall time, which
 * on a shared, loaded machine says more about the other processes than about the code (docs/performance.md).
 */
final class CpuPerOperation {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private long startNanos;
    private long operations;

    void start() {
        operations = 0;
        startNanos = THREADS.getCurrentThreadCpuTime();
    }

    void count() {
        operations++;
    }

    /** Prints CPU nanoseconds per operation and per {@code unitsPerOperation} units (records, packets). */
    void print(String unit, long unitsPerOperation) {
        long cpu = THREADS.getCurrentThreadCpuTime() - startNanos;
        if (operations > 0) {
            double perOp = (double) cpu / operations;
            System.out.printf("  [cpu: %.1f ns per operation, %.1f ns per %s, %.0f %ss per CPU-second]%n", perOp,
                    perOp / unitsPerOperation, unit, 1e9 * unitsPerOperation / perOp, unit);
        }
    }
}
