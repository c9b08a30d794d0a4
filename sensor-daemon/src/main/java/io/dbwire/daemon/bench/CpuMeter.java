package io.dbwire.daemon.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * CPU time and allocated bytes of the calling thread, and the JVM's GC time: what a run costs, independent of
 * other load on a shared machine (wall time is not).
 */
final class CpuMeter {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** What one thread used between {@link #start()} and {@link Mark#used()}. */
    record Usage(long cpuNanos, long allocatedBytes) {
        Usage plus(Usage o) {
            return new Usage(cpuNanos + o.cpuNanos, allocatedBytes + o.allocatedBytes);
        }
    }

    /** A starting point on the calling thread. */
    static final class Mark {
        private final long cpu = THREADS.getCurrentThreadCpuTime();
        private final long allocated = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());

        Usage used() {
            return new Usage(THREADS.getCurrentThreadCpuTime() - cpu,
                    THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - allocated);
        }
    }

    private CpuMeter() {}

    static Mark start() {
        return new Mark();
    }

    /** Milliseconds spent in all collectors since the JVM started, and how many collections. */
    static long[] gc() {
        long millis = 0;
        long count = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            millis += Math.max(0, gc.getCollectionTime());
            count += Math.max(0, gc.getCollectionCount());
        }
        return new long[] {millis, count};
    }
}
