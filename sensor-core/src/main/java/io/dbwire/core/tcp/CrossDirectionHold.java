package io.dbwire.core.tcp;

import io.dbwire.core.decap.DecodedPacket;
import io.dbwire.core.util.ReasonCounters;

/**
 * Keeps the two directions of a connection in conversation order (see {@link HeldSegments} for why): a payload
 * segment whose ACK covers peer bytes not yet delivered waits in its direction's queue; queues are released as
 * the peer catches up, or after their bound with a gap for the peer bytes that never came. Both directions may
 * wait at once (each for bytes the other sent earlier); causality makes the waits acyclic in real traffic, and
 * the bounds end them when the mirror lost something.
 */
final class CrossDirectionHold {
    /** Where released segments go: the tracker's normal segment processing. */
    interface Sink {
        void segment(Flow flow, boolean fromClient, int flags, long seq, long ack, byte[] data, int off, int len,
                int missing, long now);
    }

    private static final long SEQ_MASK = 0xFFFF_FFFFL;

    private final Sink sink;
    private final BufferBudget budget;
    private final ReasonCounters<TcpEvent> counters;
    private final int maxBytesPerDirection;
    private final long maxHoldMicros;

    CrossDirectionHold(Sink sink, BufferBudget budget, ReasonCounters<TcpEvent> counters, int maxBytesPerDirection,
            long maxHoldMicros) {
        this.sink = sink;
        this.budget = budget;
        this.counters = counters;
        this.maxBytesPerDirection = maxBytesPerDirection;
        this.maxHoldMicros = maxHoldMicros;
    }

    /** Holds the packet if it must wait (returns true); its ACK is applied to the peer either way. */
    boolean offer(Flow flow, DecodedPacket p, boolean fromClient, long now) {
        int flags = p.tcpFlags;
        if ((p.payloadLength == 0 && p.payloadMissing == 0)
                || (flags & (DecodedPacket.SYN | DecodedPacket.RST)) != 0) {
            return false;
        }
        HeldSegments own = fromClient ? flow.heldFromClient : flow.heldFromServer;
        long ack = p.ack & SEQ_MASK;
        // Behind held segments of its direction a segment queues too (else a peer ACK past the held bytes would
        // declare them a hole), unless it comes before them in sequence: then it may be what the peer awaits.
        boolean queueBehind = own != null && !own.isEmpty() && (int) ((p.seq & SEQ_MASK) - own.peek().seq()) >= 0;
        if (!queueBehind) {
            if ((flags & DecodedPacket.ACK) == 0) {
                return false;
            }
            StreamReassembler peer = fromClient ? flow.toClient : flow.toServer;
            peer.onAck(ack, now); // valid whatever happens to the payload; may give up a hole (gap_acked)
            if (peer.unseenBefore(ack) == 0) {
                return false;
            }
            if (own == null) {
                own = new HeldSegments(fromClient, budget);
                if (fromClient) {
                    flow.heldFromClient = own;
                } else {
                    flow.heldFromServer = own;
                }
            }
        }
        if (!budget.totalFits(p.payloadLength)) {
            counters.increment(TcpEvent.HOLD_OVER_TOTAL);
            return false; // no room to wait for the peer: delivered now, in arrival order (counted)
        }
        if (!budget.memoryFits(p.payloadLength)) {
            return false; // likewise, counted as shed by the memory budget
        }
        counters.increment(TcpEvent.HELD_FOR_PEER);
        own.add(flags, p.seq & SEQ_MASK, ack, p.data, p.payloadOffset, p.payloadLength, p.payloadMissing, now);
        return true;
    }

    static boolean isEmpty(Flow flow) {
        return (flow.heldFromClient == null || flow.heldFromClient.isEmpty())
                && (flow.heldFromServer == null || flow.heldFromServer.isEmpty());
    }

    /**
     * Releases what may go: heads whose peer bytes were delivered; then, when a head is overdue (or at close,
     * {@code force}), the head at the root of the wait, after a gap for the peer bytes it acknowledged but that
     * never came. Both directions may wait at once (a response waits for a lost request, the next request for
     * that response): the root is the head that does not wait for bytes the other direction holds.
     */
    void release(Flow flow, long now, boolean force) {
        while (flow.listener != null && !isEmpty(flow)) {
            if (releaseReady(flow, flow.heldFromClient) | releaseReady(flow, flow.heldFromServer)) {
                continue;
            }
            boolean due = force || overdue(flow.heldFromClient, now) || overdue(flow.heldFromServer, now);
            if (!due) {
                return;
            }
            releaseHead(flow, root(flow.heldFromClient, flow.heldFromServer), true);
        }
    }

    private boolean overdue(HeldSegments q, long now) {
        return q != null && q.overdue(now, maxBytesPerDirection, maxHoldMicros);
    }

    private boolean releaseReady(Flow flow, HeldSegments q) {
        boolean progress = false;
        while (q != null && !q.isEmpty() && flow.listener != null) {
            StreamReassembler peer = q.fromClient ? flow.toClient : flow.toServer;
            if (peer.unseenBefore(q.peek().ack()) > 0) {
                break;
            }
            releaseHead(flow, q, false);
            progress = true;
        }
        return progress;
    }

    /**
     * The head to release first when nothing is ready: one that waits for peer bytes held in the other queue is
     * not the root (releasing it would declare bytes lost that are only held).
     */
    static HeldSegments root(HeldSegments a, HeldSegments b) {
        if (a == null || a.isEmpty()) {
            return b;
        }
        if (b == null || b.isEmpty()) {
            return a;
        }
        boolean aWaitsOnB = before(b.peek().seq(), a.peek().ack());
        boolean bWaitsOnA = before(a.peek().seq(), b.peek().ack());
        if (aWaitsOnB != bWaitsOnA) {
            return aWaitsOnB ? b : a;
        }
        return oldest(a, b);
    }

    /** Sequence number {@code seq} lies before {@code ack} (RFC 793 arithmetic). */
    private static boolean before(long seq, long ack) {
        return (int) (seq - ack) < 0;
    }

    /**
     * Delivers the head with its own packet time; the peer first gets a gap for acknowledged bytes never seen.
     * When the head goes because the wait is over ({@code expired}), a hole of its own direction before it is
     * given up first: those bytes were sent before the peer bytes the head acknowledges (a lost request comes
     * before its lost answer), so the listener sees the gaps in the order of the conversation.
     */
    private void releaseHead(Flow flow, HeldSegments q, boolean expired) {
        HeldSegments.Held h = q.poll();
        StreamReassembler peer = q.fromClient ? flow.toClient : flow.toServer;
        StreamReassembler own = q.fromClient ? flow.toServer : flow.toClient;
        long ts = h.heldMicros();
        if (expired && own.unseenBefore(h.seq()) > 0) {
            own.giveUpBefore(h.seq(), ts);
        }
        if (peer.unseenBefore(h.ack()) > 0) {
            counters.increment(TcpEvent.HOLD_EXPIRED);
            peer.giveUpBefore(h.ack(), ts);
        }
        sink.segment(flow, q.fromClient, h.flags(), h.seq(), h.ack(), h.bytes(), 0, h.bytes().length, h.missing(),
                ts);
        if (flow.listener != null) {
            peer.deliverReady(ts); // peer bytes after the acknowledged point, held back by giveUpBefore
        }
    }

    private static HeldSegments oldest(HeldSegments a, HeldSegments b) {
        if (a == null || a.isEmpty()) {
            return b;
        }
        if (b == null || b.isEmpty()) {
            return a;
        }
        return a.peek().heldMicros() <= b.peek().heldMicros() ? a : b;
    }
}
