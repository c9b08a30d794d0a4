package io.dbwire.core.protocol.session;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * The FIFO of a connection's requests waiting for the server, in the order the server answers them. Bounded:
 * when full, the oldest request is handed to {@code dropped} (which emits it incomplete) and counted as
 * {@link CommonEvent#INFLIGHT_OVERFLOW}.
 */
public final class InFlight<E> implements Iterable<E> {
    /** Made with the first request: a connection that never sends one (a flood, a refused login) holds none. */
    private ArrayDeque<E> fifo;
    private final int max;
    private final SessionCounters<?> counters;
    private final Consumer<E> dropped;

    public InFlight(int max, SessionCounters<?> counters, Consumer<E> dropped) {
        this.max = max;
        this.counters = counters;
        this.dropped = dropped;
    }

    public void add(E request) {
        if (fifo == null) {
            fifo = new ArrayDeque<>();
        }
        if (fifo.size() >= max) {
            counters.increment(CommonEvent.INFLIGHT_OVERFLOW);
            dropped.accept(fifo.pollFirst());
        }
        fifo.addLast(request);
    }

    /** The request the server is answering, or null. */
    public E head() {
        return fifo == null ? null : fifo.peekFirst();
    }

    /** The request sent last, or null. */
    public E last() {
        return fifo == null ? null : fifo.peekLast();
    }

    public E pop() {
        return fifo == null ? null : fifo.pollFirst();
    }

    public void remove(E request) {
        if (fifo != null) {
            fifo.remove(request);
        }
    }

    /** Lets the (empty) deque go: a quiet connection holds no array; the next request makes one. */
    public void trim() {
        if (fifo != null && fifo.isEmpty()) {
            fifo = null;
        }
    }

    public boolean isEmpty() {
        return fifo == null || fifo.isEmpty();
    }

    /** Hands every waiting request, oldest first, to {@code each} and empties the FIFO. */
    public void drain(Consumer<E> each) {
        E e;
        while (fifo != null && (e = fifo.pollFirst()) != null) {
            each.accept(e);
        }
    }

    @Override
    public Iterator<E> iterator() {
        return fifo == null ? Collections.emptyIterator() : fifo.iterator();
    }
}
