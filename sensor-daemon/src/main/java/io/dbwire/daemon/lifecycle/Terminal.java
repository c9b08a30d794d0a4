package io.dbwire.daemon.lifecycle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this process's standard error is a terminal (isatty(2)), which Java does not ask directly. */
public final class Terminal {
    private static final Path STDERR_LINK = Path.of("/proc/self/fd/2");

    private Terminal() {}

    /**
     * On Linux the link of file descriptor 2 names a tty or pty device when it is a terminal. Elsewhere,
     * {@link System#console()} (stdin and stdout on a terminal) is the nearest question Java can ask.
     */
    public static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(STDERR_LINK).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }
}
