package io.dbwire.daemon.cli;

/** Process exit codes (picocli's convention: 2 for usage errors). */
public final class ExitCodes {
    public static final int OK = 0;
    /** An unexpected failure: a bug or an environment problem the message explains. */
    public static final int SOFTWARE = 1;
    /** Bad arguments, configuration or input files. */
    public static final int USAGE = 2;
    /** {@code replay --fail-on-problems}: the run finished and counted problems. */
    public static final int PROBLEMS = 3;
    /** An output (records, alerts) could not be written, e.g. a full disk (sysexits.h EX_IOERR). */
    public static final int OUTPUT_FAILED = 74;
    /** The JVM ran out of heap or failed internally; the process ended at once (see FatalErrors). */
    public static final int FATAL = io.dbwire.daemon.fault.FatalErrors.EXIT_STATUS;
    /** Stopped by SIGINT or SIGTERM before the input ended (128 + SIGINT, the shell's convention). */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
