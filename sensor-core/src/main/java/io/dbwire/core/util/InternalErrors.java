package io.dbwire.core.util;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the engine's caught bugs go. The core does no logging of its own: the daemon installs a {@link Listener}
 * that writes to its log. Reports are rate-limited per class of error (layer, exception type and the frame that
 * threw), so a bug hit on every packet logs its first stack traces and then only now and then a running total.
 * Safe to call from several pipeline threads.
 */
public final class InternalErrors {
    /** Stack traces kept per class of error before going quiet. */
    public static final int FIRST_REPORTS = 5;
    /** Classes of error tracked one by one; beyond this they share one entry (a bound, not a leak). */
    static final int MAX_CLASSES = 256;

    /** Receives the reports that pass the rate limit. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param layer       where it was caught, e.g. {@code postgres}
         * @param connection  the connection's id and addresses
         * @param error       the exception, stack trace included
         * @param occurrences how many errors of this class so far, this one included
         * @param remedy      what the engine did about the connection
         */
        void onInternalError(String layer, String connection, RuntimeException error, long occurrences,
                Remedy remedy);
    }

    /** What became of the connection after the error. */
    public enum Remedy {
        /** In-flight work flushed as incomplete; parsing continues from the next message boundary. */
        RESYNCHRONISED,
        /** Too many errors in this connection: it is no longer parsed. */
        CLOSED
    }

    private static final Listener SILENT = (layer, connection, error, occurrences, remedy) -> { };
    private static volatile Listener listener = SILENT;
    private static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();

    private InternalErrors() {}

    /** Installs the process's listener; null restores the silent default. */
    public static void setListener(Listener l) {
        listener = l == null ? SILENT : l;
    }

    /** Counts the error by its class and passes it on when the rate limit allows. */
    public static void report(String layer, String connection, RuntimeException error, Remedy remedy) {
        long n = counter(classOf(layer, error)).incrementAndGet();
        if (shouldReport(n)) {
            listener.onInternalError(layer, connection, error, n, remedy);
        }
    }

    /** The first few, then the 10th, 100th, 1000th… */
    static boolean shouldReport(long occurrence) {
        if (occurrence <= FIRST_REPORTS) {
            return true;
        }
        long p = 10;
        while (p < occurrence && p <= Long.MAX_VALUE / 10) {
            p *= 10;
        }
        return p == occurrence;
    }

    private static AtomicLong counter(String key) {
        AtomicLong c = COUNTS.get(key);
        if (c != null) {
            return c;
        }
        if (COUNTS.size() >= MAX_CLASSES) {
            return COUNTS.computeIfAbsent("other", k -> new AtomicLong());
        }
        return COUNTS.computeIfAbsent(key, k -> new AtomicLong());
    }

    private static String classOf(String layer, RuntimeException e) {
        StackTraceElement[] trace = e.getStackTrace();
        String at = trace.length == 0 ? "" : trace[0].getClassName() + ":" + trace[0].getLineNumber();
        return layer + " " + e.getClass().getName() + " " + at;
    }

    /**
     * One connection's share: the first errors resynchronise it, then it is closed so that a bug triggered by
     * this connection's bytes cannot repeat on every packet. Owned by the connection's thread.
     */
    public static final class Fence {
        /** Errors a connection survives by resynchronising; the next one closes it. */
        static final int RESYNCS_PER_CONNECTION = 3;

        private final String layer;
        private final Object connection;
        private int errors;

        /** @param connection described with {@code toString()}, only when an error is reported */
        public Fence(String layer, Object connection) {
            this.layer = layer;
            this.connection = connection;
        }

        /**
         * Reports the error after trying {@code flush} (emit what was in flight as incomplete, realign) and says
         * what became of the connection: resynchronised, or — after {@link #RESYNCS_PER_CONNECTION} errors, or
         * when the flush itself failed — to be closed by the caller.
         */
        public Remedy caught(RuntimeException e, Runnable flush) {
            errors++;
            Remedy remedy = errors <= RESYNCS_PER_CONNECTION ? Remedy.RESYNCHRONISED : Remedy.CLOSED;
            try {
                flush.run();
            } catch (RuntimeException again) {
                e.addSuppressed(again);
                remedy = Remedy.CLOSED;
            }
            report(layer, String.valueOf(connection), e, remedy);
            return remedy;
        }

        /** A bug while the connection was closing: reported; there is nothing left to resynchronise. */
        public void caughtAtClose(RuntimeException e) {
            errors++;
            report(layer, String.valueOf(connection), e, Remedy.CLOSED);
        }
    }
}
