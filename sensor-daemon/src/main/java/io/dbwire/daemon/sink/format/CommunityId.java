package io.dbwire.daemon.sink.format;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Community ID v1 flow hash (https://github.com/corelight/community-id-spec), the flow key Zeek, Suricata, Arkime,
 * Elastic and Wireshark share: {@code "1:" + base64(sha1(seed . saddr . daddr . proto . 0 . sport . dport))},
 * with the endpoints ordered so that the smaller address (then port) comes first, every field in network order.
 */
public final class CommunityId {
    public static final int TCP = 6;

    private CommunityId() {}

    /** Null when an address is not a literal IPv4/IPv6 address (nothing to hash). */
    public static String v1(String srcIp, int srcPort, String dstIp, int dstPort, int proto, int seed) {
        byte[] src = literal(srcIp);
        byte[] dst = literal(dstIp);
        if (src == null || dst == null || src.length != dst.length) {
            return null;
        }
        int cmp = Arrays.compareUnsigned(src, dst);
        if (cmp > 0 || (cmp == 0 && srcPort > dstPort)) {
            byte[] a = src;
            src = dst;
            dst = a;
            int p = srcPort;
            srcPort = dstPort;
            dstPort = p;
        }
        ByteBuffer b = ByteBuffer.allocate(2 + src.length * 2 + 2 + 4);
        b.putShort((short) seed).put(src).put(dst).put((byte) proto).put((byte) 0)
                .putShort((short) srcPort).putShort((short) dstPort);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(b.array());
            return "1:" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JVM", e);
        }
    }

    /** A TCP flow with seed 0, as dbwire reports it. */
    public static String tcp(String clientIp, int clientPort, String serverIp, int serverPort) {
        return v1(clientIp, clientPort, serverIp, serverPort, TCP, 0);
    }

    /** Parses only literals (never a DNS lookup); null otherwise. */
    private static byte[] literal(String ip) {
        if (ip == null || ip.isEmpty() || !(ip.indexOf(':') >= 0 || Character.isDigit(ip.charAt(0)))) {
            return null;
        }
        if (ip.indexOf(':') < 0 && !ip.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return null;
        }
        try {
            return InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
