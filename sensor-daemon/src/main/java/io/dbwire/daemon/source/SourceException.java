package io.dbwire.daemon.source;

/** An input that cannot be read at all (missing, unreadable, not a capture file). Not used for bad packets. */
public final class SourceException extends Exception {
    public SourceException(String message) {
        super(message);
    }
}
