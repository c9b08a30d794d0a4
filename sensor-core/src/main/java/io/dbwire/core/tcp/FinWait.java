package io.dbwire.core.tcp;

import java.util.ArrayDeque;

/**
 * Connections whose two FINs were seen while bytes before a FIN are still missing: a FIN that overtook the last
 * data (reordering through a load balancer, two mirror sessions) must not cut the last statement short. Such a
 * connection is closed as soon as those bytes arrive, or once the reorder window has passed since the second
 * FIN (then the close reports them as a gap). Bounded by the flow table: a flow is queued at most once.
 */
final class FinWait {
    /** Closes a connection whose wait is over. */
    interface Closer {
        void close(Flow flow, long now);
    }

    static final long NOT_WAITING = Long.MIN_VALUE;

    private final ArrayDeque<Flow> waiting = new ArrayDeque<>();
    private final long windowMicros;
    private final Closer closer;

    FinWait(long windowMicros, Closer closer) {
        this.windowMicros = windowMicros;
        this.closer = closer;
    }

    /** After a segment of {@code flow}: closes it if both FINs were seen and nothing before them is missing. */
    void check(Flow flow, long now) {
        if (flow.listener == null || flow.closing || !CrossDirectionHold.isEmpty(flow)
                || !flow.toServer.finSeen() || !flow.toClient.finSeen()) {
            return;
        }
        boolean missing = flow.toServer.missingBeforeFin() || flow.toClient.missingBeforeFin();
        if (missing && flow.finsSeenMicros == NOT_WAITING) {
            flow.finsSeenMicros = now;
            waiting.addLast(flow);
            return;
        }
        if (missing && !StreamReassembler.elapsed(flow.finsSeenMicros, now, windowMicros)) {
            return;
        }
        closer.close(flow, now);
    }

    /** Closes the connections whose window has passed (they may see no packet again). */
    void expire(long now) {
        Flow f;
        while ((f = waiting.peekFirst()) != null) {
            if (f.listener == null || f.closing || f.finsSeenMicros == NOT_WAITING) {
                waiting.pollFirst(); // closed meanwhile
                continue;
            }
            if (!StreamReassembler.elapsed(f.finsSeenMicros, now, windowMicros)) {
                return;
            }
            waiting.pollFirst();
            check(f, now);
        }
    }
}
