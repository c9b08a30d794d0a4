package io.dbwire.daemon.lifecycle;

import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Process signals as actions instead of JVM shutdown: a SIGTERM that runs our own stop lets {@code run} return
 * exit code 0 (the JVM's default would be 143) and lets {@code replay} print its summary. Each action runs on its
 * own thread so the signal dispatcher is never blocked by a slow flush.
 */
public final class Signals {
    private Signals() {}

    /**
     * SIGTERM and SIGINT run {@code stop} (once per signal received; the action must be idempotent). Closing the
     * result puts back the handlers that were there before.
     */
    public static Installed onStop(Runnable stop) {
        Installed installed = new Installed();
        installed.handle("TERM", "dbwire-sigterm", stop);
        installed.handle("INT", "dbwire-sigint", stop);
        return installed;
    }

    /** SIGHUP runs {@code reopen}: the logrotate convention for "your files were moved, open them again". */
    public static Installed onHangup(Runnable reopen) {
        Installed installed = new Installed();
        installed.handle("HUP", "dbwire-sighup", reopen);
        return installed;
    }

    /** Handlers set by one call; {@link #close()} restores the ones they replaced. */
    public static final class Installed implements AutoCloseable {
        private final List<Signal> signals = new ArrayList<>();
        private final List<SignalHandler> previous = new ArrayList<>();

        private void handle(String name, String thread, Runnable action) {
            try {
                Signal signal = new Signal(name);
                previous.add(Signal.handle(signal, s -> new Thread(action, thread).start()));
                signals.add(signal);
            } catch (IllegalArgumentException e) {
                // Signal unknown on this OS or reserved by the JVM (e.g. -Xrs): the JVM's default stays.
            }
        }

        @Override
        public void close() {
            for (int i = 0; i < signals.size(); i++) {
                Signal.handle(signals.get(i), previous.get(i));
            }
        }
    }
}
