package io.dbwire.core.protocol;

import static io.dbwire.core.util.CountedEvent.Kind.VOLUME;

import io.dbwire.core.util.CountedEvent;

/** What content-based detection made of a connection on a port that no protocol is configured for. */
public enum SniffOutcome implements CountedEvent {
    /** The client opened with a PostgreSQL StartupMessage, SSLRequest, GSSENCRequest or CancelRequest. */
    POSTGRESQL(VOLUME),
    /** The server opened with a MySQL/MariaDB Handshake v10. */
    MYSQL(VOLUME),
    /** The first bytes matched neither: the connection is ignored from then on. */
    UNKNOWN(VOLUME),
    /** The connection ended before enough bytes were seen to decide. */
    UNDECIDED(VOLUME);

    private final Kind kind;

    SniffOutcome() {
        this(Kind.PROBLEM);
    }

    SniffOutcome(Kind kind) {
        this.kind = kind;
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public String layer() {
        return "protocol";
    }
}
