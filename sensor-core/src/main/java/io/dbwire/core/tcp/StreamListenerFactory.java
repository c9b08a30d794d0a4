package io.dbwire.core.tcp;

/** Chooses the protocol parser for a new connection. */
public interface StreamListenerFactory {

    /**
     * @return the listener for this connection, or {@code null} if the connection is not of interest (the TCP
     *     layer then tracks nothing for it beyond a counter)
     */
    StreamListener open(ConnectionInfo connection);

    /** Whether {@code port} is a known database server port, used to assign roles to mid-stream flows. */
    boolean isServerPort(int port);

    /**
     * Whether a connection seen from its SYN on a port that is not a server port should still be offered to
     * {@link #open} (which then recognises the protocol by content). Mid-stream flows on such ports stay ignored:
     * without a handshake their roles are unknown.
     */
    default boolean acceptsOtherPorts() {
        return false;
    }
}
