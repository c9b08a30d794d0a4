package io.dbwire.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.TcpConfig;
import io.dbwire.core.memory.MemoryAccount;
import io.dbwire.core.memory.MemoryBudget;
import io.dbwire.core.memory.MemoryCharged;
import io.dbwire.core.memory.MemoryConsumer;
import io.dbwire.core.memory.ShedReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A burst of connections that all spoke within the quiet time pushes the budget over its high mark: they are
 * trimmed, least recently active first and only until the total is under the low mark, before any is evicted;
 * connections at rest whose total stays under the high mark are all held.
 */
class PressureTrimTest {
    private static final long T0 = 1_764_172_800_000_000L;
    private static final int FLOWS = 200;
    /** What each connection's parsers hold between messages until trimmed (a body buffer, say). */
    private static final int BUFFER = 1024;
    private static final TcpConfig CONFIG = new TcpConfig(1000, 1 << 16, 1 << 20, 60_000_000L);

    private final List<BufferHolder> conns = new ArrayList<>();

    @Test
    void connectionsNotYetQuietAreTrimmedOldestFirstBeforeAnyIsEvicted() {
        long base = tableBytes();
        // Untrimmed, the burst passes the high mark (90 %); trimmed, it is well under the low mark (80 %).
        long limit = (long) ((base + FLOWS * (long) (TcpTracker.FLOW_BYTES + BUFFER)) / 0.95);
        assertThat(base + FLOWS * (long) TcpTracker.FLOW_BYTES).isLessThan((long) (limit * 0.75));
        MemoryBudget budget = new MemoryBudget(limit);
        TcpTracker tracker = new TcpTracker(CONFIG, factory(), 0, 1, budget);

        burst(tracker);

        assertThat(budget.shedCounts().get(ShedReason.FLOW_EVICTED)).isZero();
        assertThat(tracker.activeFlows()).isEqualTo(FLOWS);
        assertThat(conns.get(0).trims).isEqualTo(1); // the least recently active first
        assertThat(conns.get(FLOWS - 1).trims).isZero(); // only as many as the low mark needs
        assertThat(budget.total()).isLessThan((long) (limit * MemoryBudget.HIGH_MARK));
    }

    @Test
    void connectionsAtRestBetweenTheMarksAreAllHeld() {
        // Trimmed, the flows alone sit between the low mark (80 %) and the high mark (90 %): none is evicted.
        long limit = (long) ((tableBytes() + FLOWS * (long) TcpTracker.FLOW_BYTES) / 0.85);
        MemoryBudget budget = new MemoryBudget(limit);
        TcpTracker tracker = new TcpTracker(CONFIG, factory(), 0, 1, budget);
        burst(tracker);

        assertThat(budget.shedCounts().get(ShedReason.FLOW_EVICTED)).isZero();
        assertThat(tracker.activeFlows()).isEqualTo(FLOWS);
        assertThat(budget.total()).isLessThanOrEqualTo((long) (limit * MemoryBudget.HIGH_MARK));
    }

    @Test
    void whenTrimmingIsNotEnoughTheOldestAreEvictedAsBefore() {
        long limit = (long) ((tableBytes() + FLOWS * (long) TcpTracker.FLOW_BYTES) / 1.2); // flows alone too many
        MemoryBudget budget = new MemoryBudget(limit);
        TcpTracker tracker = new TcpTracker(CONFIG, factory(), 0, 1, budget);
        burst(tracker);
        assertThat(budget.shedCounts().get(ShedReason.FLOW_EVICTED)).isPositive();
        assertThat(conns.get(0).closed).isTrue();
        assertThat(conns.get(FLOWS - 1).closed).isFalse();
    }

    /** Every connection opens and speaks within 2 ms of packet time: none is quiet for the idle trim. */
    private static void burst(TcpTracker tracker) {
        for (int i = 0; i < FLOWS; i++) {
            Wire w = new Wire(tracker, 1, 20_000 + i, 2, 5432);
            w.handshake(T0 + i * 10L, 1000, 5000);
            w.send(true, T0 + i * 10L + 1, Wire.ACK, 1001, 5001, new byte[] {'Q'});
        }
    }

    private static long tableBytes() {
        MemoryBudget probe = MemoryBudget.unlimited();
        new TcpTracker(CONFIG, IGNORING, 0, 1, probe);
        return probe.total();
    }

    /** Opens nothing: to read what an empty tracker charges (its flow table). */
    private static final StreamListenerFactory IGNORING = new StreamListenerFactory() {
        @Override
        public StreamListener open(ConnectionInfo connection) {
            return StreamListener.IGNORE;
        }

        @Override
        public boolean isServerPort(int port) {
            return port == 5432;
        }
    };

    private StreamListenerFactory factory() {
        return new StreamListenerFactory() {
            @Override
            public StreamListener open(ConnectionInfo connection) {
                BufferHolder c = new BufferHolder();
                conns.add(c);
                return c;
            }

            @Override
            public boolean isServerPort(int port) {
                return port == 5432;
            }
        };
    }

    /** Charges a buffer at its first byte of data and gives it back when trimmed, as the framers do. */
    private static final class BufferHolder implements StreamListener, MemoryCharged {
        private MemoryAccount memory = MemoryAccount.NONE;
        private boolean holding;
        int trims;
        boolean closed;

        @Override
        public void chargeTo(MemoryAccount account) {
            memory = account;
        }

        @Override
        public void onData(Direction d, byte[] buffer, int offset, int length, long ts) {
            if (!holding) {
                memory.grow(MemoryConsumer.MESSAGE_BUFFERS, BUFFER);
                holding = true;
            }
        }

        @Override
        public void onQuiet() {
            trims++;
            if (holding) {
                memory.shrink(MemoryConsumer.MESSAGE_BUFFERS, BUFFER);
                holding = false;
            }
        }

        @Override
        public void onGap(Direction d, long missingBytes, long ts) {}

        @Override
        public void onClose(CloseReason reason, long ts) {
            closed = true;
        }
    }
}
