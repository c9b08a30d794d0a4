package io.dbwire.daemon.sink.syslog;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Syslog over TCP (RFC 6587 octet counting: {@code MSG-LEN SP SYSLOG-MSG}, so a message may hold any byte) or the
 * same inside TLS (RFC 5425), whose certificate is checked against the host name or address.
 */
final class StreamTransport implements SyslogTransport {
    private static final int CONNECT_TIMEOUT_MS = 5000;

    private final String host;
    private final int port;
    /** Null for plain TCP. */
    private final SSLSocketFactory tls;
    private Socket socket;
    private OutputStream out;

    StreamTransport(String host, int port, SSLSocketFactory tls) {
        this.host = host;
        this.port = port;
        this.tls = tls;
    }

    @Override
    public void send(byte[] message) throws IOException {
        if (socket != null && peerClosed()) {
            close();
        }
        if (socket == null) {
            connect();
        }
        try {
            out.write((message.length + " ").getBytes(StandardCharsets.US_ASCII));
            out.write(message);
            out.flush();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /**
     * A receiver that went away has closed its side: the next write would still "succeed" into the socket buffer
     * and be lost, so look for end of stream first (the receiver never sends anything on this connection).
     */
    private boolean peerClosed() {
        try {
            socket.setSoTimeout(1);
            return socket.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            if (tls != null) {
                SSLSocket t = (SSLSocket) tls.createSocket(s, host, port, true);
                SSLParameters p = t.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name host (DNS or IP SAN)
                t.setSSLParameters(p);
                t.startHandshake();
                s = t;
            }
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken connection: nothing left to do
            }
        }
        socket = null;
        out = null;
    }
}
