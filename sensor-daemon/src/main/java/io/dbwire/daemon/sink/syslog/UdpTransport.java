package io.dbwire.daemon.sink.syslog;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;

/** Syslog over UDP (RFC 5426): one message per datagram, no framing, no delivery guarantee. */
final class UdpTransport implements SyslogTransport {
    private final InetSocketAddress target;
    private DatagramSocket socket;

    UdpTransport(String host, int port) {
        this.target = new InetSocketAddress(host, port);
    }

    @Override
    public void send(byte[] message) throws IOException {
        if (socket == null) {
            socket = new DatagramSocket();
        }
        socket.send(new DatagramPacket(message, message.length, target));
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }
}
