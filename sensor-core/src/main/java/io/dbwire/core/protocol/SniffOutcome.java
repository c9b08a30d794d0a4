package io.dbwire.core.protocol;

/** What content-based detection made of a connection on a port that no protocol is configured for. */
public enum SniffOutcome {
    /** The client opened with a PostgreSQL StartupMessage, SSLRequest, GSSENCRequest or CancelRequest. */
    POSTGRESQL,
    /** The server opened with a MySQL/MariaDB Handshake v10. */
    MYSQL,
    /** The first bytes matched neither: the connection is ignored from then on. */
    UNKNOWN,
    /** The connection ended before enough bytes were seen to decide. */
    UNDECIDED
}
