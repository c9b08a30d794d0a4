package io.dbwire.core.pipeline;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;

/**
 * The JVM's count of bytes this thread has allocated on the heap (every allocation, TLAB or not), for tests that
 * prove a path allocates nothing. The test is skipped on a JVM that does not keep the count.
 */
public final class ThreadAllocation {
    private final com.sun.management.ThreadMXBean threads;

    private ThreadAllocation(com.sun.management.ThreadMXBean threads) {
        this.threads = threads;
    }

    /** A meter for the calling thread; skips the test when the JVM cannot count. */
    public static ThreadAllocation ofCurrentThread() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported());
        ThreadAllocation meter = new ThreadAllocation(threads);
        meter.bytes(); // the first reading may load classes
        return meter;
    }

    /** Bytes allocated by the calling thread so far (the JDK's current-thread call, which allocates nothing). */
    public long bytes() {
        return threads.getCurrentThreadAllocatedBytes();
    }
}
