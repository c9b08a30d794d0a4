package io.dbwire.daemon.lifecycle;

import sun.misc.Signal;

/**
 * Process signals as actions instead of JVM shutdown: a SIGTERM that runs our own stop lets {@code run} return
 * exit code 0 (the JVM's default would be 143) and lets {@code replay} print its summary. Each action runs on its
 * own thread so the signal dispatcher is never blocked by a slow flush.
 */
public final class Signals {
    private Signals() {}

    /** SIGTERM and SIGINT run {@code stop} (once per signal received; the action must be idempotent). */
    public static void onStop(Runnable stop) {
        handle("TERM", "dbwire-sigterm", stop);
        handle("INT", "dbwire-sigint", stop);
    }

    /** SIGHUP runs {@code reopen}: the logrotate convention for "your files were moved, open them again". */
    public static void onHangup(Runnable reopen) {
        handle("HUP", "dbwire-sighup", reopen);
    }

    private static void handle(String name, String thread, Runnable action) {
        try {
            Signal.handle(new Signal(name), s -> new Thread(action, thread).start());
        } catch (IllegalArgumentException e) {
            // Signal unknown on this OS or reserved by the JVM (e.g. -Xrs): the JVM's default stays.
        }
    }
}
