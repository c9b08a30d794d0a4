package io.dbwire.daemon.fault;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Errors the process cannot survive. An {@link OutOfMemoryError} leaves every thread of the JVM suspect (a
 * half-updated table, a lost queue item, a logger that cannot allocate), so instead of limping on the process ends at
 * once with {@link #EXIT_STATUS}, one line on standard error, and systemd restarts it. Every other throwable on a
 * pipeline thread is a bug in one frame or record: counted and survived by the loop that caught it.
 */
public final class FatalErrors {
    /** EX_SOFTWARE of sysexits.h: not a usage error (2), so systemd's Restart=on-failure restarts the service. */
    public static final int EXIT_STATUS = 70;

    /** Released before the last message is written, so that writing it does not fail for want of heap. */
    private static volatile byte[] reserve = new byte[1 << 20];
    private static volatile Halt halt = status -> Runtime.getRuntime().halt(status);
    private static final String OOM_ADVICE = " (raise the heap, DBWIRE_HEAP / -Xmx, or lower tcp.max_flows)";
    private static final byte[] OOM_LINE = ("dbwire: fatal: java.lang.OutOfMemoryError; exiting with status "
            + EXIT_STATUS + OOM_ADVICE + "\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FATAL_LINE = ("dbwire: fatal: a JVM error; exiting with status " + EXIT_STATUS + "\n")
            .getBytes(StandardCharsets.US_ASCII);
    private static final FileOutputStream STDERR = new FileOutputStream(FileDescriptor.err);

    /** How the process ends; tests replace it to observe a halt without ending the test JVM. */
    public interface Halt {
        void now(int status);
    }

    private FatalErrors() {}

    /** Whether {@code t} means the JVM itself is in trouble (heap, internal error), not one input. */
    public static boolean isFatal(Throwable t) {
        return t instanceof OutOfMemoryError || t instanceof InternalError || t instanceof UnknownError;
    }

    /**
     * Makes a fatal error that escapes any thread (pipeline, Netty, HTTP, timers, main) end the process; any
     * other uncaught throwable is printed as the JVM would.
     */
    public static void install() {
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            if (isFatal(error)) {
                halt(thread.getName(), error);
            } else {
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                error.printStackTrace();
            }
        });
    }

    /** If {@code t} is fatal, ends the process now (never returns); otherwise returns so the caller counts it. */
    public static void haltIfFatal(String where, Throwable t) {
        if (isFatal(t)) {
            halt(where, t);
        }
    }

    /** Ends the process with {@link #EXIT_STATUS} after one line on standard error. */
    public static void halt(String where, Throwable t) {
        reserve = null;
        try {
            PrintStream err = System.err;
            err.println("dbwire: fatal: " + t + " in " + where + "; exiting with status " + EXIT_STATUS
                    + (t instanceof OutOfMemoryError ? OOM_ADVICE : ""));
            err.flush();
        } catch (Throwable cannotFormat) {
            // Other threads took the reserve: write the line built at start-up, which needs no heap.
            try {
                STDERR.write(t instanceof OutOfMemoryError ? OOM_LINE : FATAL_LINE);
            } catch (Throwable ignored) {
                // nothing more can be said; ending the process matters more
            }
        } finally {
            halt.now(EXIT_STATUS);
        }
    }

    /** Tests only. */
    public static void haltWith(Halt h) {
        halt = h;
    }
}
