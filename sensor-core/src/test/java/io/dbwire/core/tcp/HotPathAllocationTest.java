package io.dbwire.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.TcpConfig;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The per-packet path of an established connection (lookup, ACK, in-order payload) allocates nothing. Measured
 * with the JVM's per-thread allocation counter, which counts every heap allocation of this thread.
 */
class HotPathAllocationTest {
    @Test
    void inOrderSegmentsOfAKnownFlowAllocateNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported());

        StreamListenerFactory factory = new StreamListenerFactory() {
            @Override
            public StreamListener open(ConnectionInfo c) {
                return StreamListener.IGNORE;
            }

            @Override
            public boolean isServerPort(int port) {
                return port == 5432;
            }
        };
        TcpTracker tracker = new TcpTracker(new TcpConfig(1000, 1 << 16, 1 << 20, 600_000_000L), factory);
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        byte[] payload = new byte[100];
        w.handshake(1_000_000, 0, 0);
        long seq = 1;
        for (int i = 0; i < 20_000; i++) { // warm-up: class loading, first-time paths
            w.send(i % 2 == 0, 1_000_000 + i, Wire.ACK, i % 2 == 0 ? seq : 1, i % 2 == 0 ? 1 : seq, payload, 0, 0, 0);
            w.send(true, 1_000_000 + i, Wire.ACK, seq, 1, payload, 0, 100, 0);
            seq += 100;
        }
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 10_000; i++) {
            w.send(true, 2_000_000 + i, Wire.ACK, seq, 1, payload, 0, 100, 0);
            w.send(false, 2_000_000 + i, Wire.ACK, 1, seq + 100, payload, 0, 0, 0);
            seq += 100;
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        // 20,000 packets: even one 16-byte object each would be 320 KB. Allow a little for the JVM itself.
        assertThat(allocated).isLessThan(16_384);
    }
}
