package io.dbwire.daemon.sink.syslog;

import java.io.IOException;

/** How one syslog message reaches the receiver. Used by one sender thread only. */
interface SyslogTransport extends AutoCloseable {
    /** Connects if need be and sends one message; throws when the receiver is unreachable. */
    void send(byte[] message) throws IOException;

    /** Drops the connection; the next send reconnects. */
    @Override
    void close();
}
