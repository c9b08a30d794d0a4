package io.dbwire.core.tcp;

/**
 * Identity of one TCP connection, fixed when the TCP layer first tracks it.
 *
 * @param id          sensor-local connection number, unique within one run
 * @param vni         VXLAN network identifier or GENEVE VNI of the tunnel, or -1 if the packets were not tunnelled
 * @param clientIp    textual client address (IPv4 dotted quad or RFC 5952 IPv6)
 * @param serverIp    textual server address
 * @param midStream   true if the connection was picked up without its handshake, so roles came from the port
 * @param startMicros packet time of the first packet seen
 */
public record ConnectionInfo(
        long id,
        int vni,
        String clientIp,
        int clientPort,
        String serverIp,
        int serverPort,
        boolean midStream,
        long startMicros) {}
