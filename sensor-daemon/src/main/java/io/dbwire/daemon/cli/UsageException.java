package io.dbwire.daemon.cli;

/** An input problem the user can fix: printed as one line {@code dbwire: <reason>}, exit code 2, no stack trace. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
