package io.dbwire.core.protocol.session;

import io.dbwire.core.util.CountedEvent;
import io.dbwire.core.util.ReasonCounters;

/** A protocol's counters as the shared session code sees them: {@link CommonEvent}s map to the protocol's enum. */
public final class SessionCounters<E extends Enum<E>> {
    private final ReasonCounters<E> counters;
    private final E[] common;

    /**
     * @throws IllegalArgumentException when {@code type} lacks a constant named like a {@link CommonEvent}: a
     *                                  programming error, found by the protocol's first test
     */
    @SuppressWarnings("unchecked")
    public SessionCounters(ReasonCounters<E> counters, Class<E> type) {
        this.counters = counters;
        this.common = (E[]) COMMON.get(type);
    }

    /** The mapping per protocol enum, made once: a table per session would cost every live connection 88 B. */
    private static final ClassValue<Enum<?>[]> COMMON = new ClassValue<>() {
        @Override
        protected Enum<?>[] computeValue(Class<?> type) {
            return mapping(type.asSubclass(Enum.class));
        }
    };

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Enum<?>[] mapping(Class<? extends Enum> type) {
        Enum<?>[] common = (Enum<?>[]) java.lang.reflect.Array.newInstance(type, CommonEvent.values().length);
        for (CommonEvent c : CommonEvent.values()) {
            common[c.ordinal()] = Enum.valueOf(type, c.name());
        }
        return common;
    }

    public void increment(CommonEvent event) {
        counters.increment(common[event.ordinal()]);
    }

    public void add(CommonEvent event, long n) {
        counters.add(common[event.ordinal()], n);
    }

    /** The protocol's layer in metric names ({@link CountedEvent#layer()}), e.g. {@code postgres}. */
    public String layer() {
        E any = common[0];
        return any instanceof CountedEvent ? ((CountedEvent) any).layer()
                : any.getDeclaringClass().getSimpleName();
    }

    /** The protocol's own counters, for its own events. */
    public ReasonCounters<E> reasons() {
        return counters;
    }
}
