package io.dbwire.core.pipeline;

import io.dbwire.core.decap.DecodedPacket;
import io.dbwire.core.decap.FrameBuilder;
import io.dbwire.core.decap.LinkType;
import java.nio.charset.StandardCharsets;

/**
 * Hostile traffic classes for the memory-budget floods, generated frame by frame straight into a {@link Sensor}
 * (nothing is kept, so the generator costs no heap). Connection {@code i} comes from its own client address and
 * port; packet time advances 10 µs per connection, so no flow reaches the idle timeout during a flood.
 */
final class FloodTraffic {
    static final long T0 = 1_700_000_000_000_000L;
    private static final int SYN = DecodedPacket.SYN;
    private static final int ACK = DecodedPacket.ACK;
    private static final int PSH_ACK = DecodedPacket.PSH | DecodedPacket.ACK;
    private static final String PG = "10.200.0.1";
    private static final String MY = "10.200.0.2";

    /** The Handshake v10 example of the MySQL documentation (server 5.5.2-m2), header included. */
    private static final byte[] MYSQL_GREETING = hex("36000000" + "0a" + "352e352e322d6d3200" + "0b000000"
            + "64764840492d434a" + "00" + "fff7" + "08" + "0200" + "0f80" + "15" + "00000000000000000000"
            + "2a34647c635a776b345e5d3a00");

    private final Sensor sensor;

    FloodTraffic(Sensor sensor) {
        this.sensor = sensor;
    }

    static String client(int i) {
        return "10." + ((i >>> 16) & 0xFF) + "." + ((i >>> 8) & 0xFF) + "." + (i & 0xFF);
    }

    static int port(int i) {
        return 1024 + (i % 60_000);
    }

    static long time(int i) {
        return T0 + i * 10L;
    }

    /** A full TCP handshake to PostgreSQL, then nothing: an established, silent connection. */
    void established(int i) {
        handshake(client(i), port(i), PG, 5432, time(i));
    }

    /** A SYN and the server's SYN+ACK, never completed. */
    void halfOpen(int i) {
        long ts = time(i);
        send(client(i), port(i), PG, 5432, 999, 0, SYN, new byte[0], ts);
        send(PG, 5432, client(i), port(i), 1999, 1000, SYN | ACK, new byte[0], ts + 1);
    }

    /** Handshake, StartupMessage, then only the 5-byte header of a Query declaring 60 MiB. */
    void postgresHeaderOnly(int i) {
        long ts = time(i);
        handshake(client(i), port(i), PG, 5432, ts);
        byte[] header = {'Q', 0x03, (byte) 0xC0, 0, 4}; // length 60 MiB + 4
        send(client(i), port(i), PG, 5432, 1000, 2000, PSH_ACK, cat(startup(), header), ts + 3);
    }

    /** Handshake, greeting, then the header and first byte of a HandshakeResponse declaring 16 MiB - 1 bytes. */
    void mysqlHeaderOnly(int i) {
        long ts = time(i);
        handshake(client(i), port(i), MY, 3306, ts);
        send(MY, 3306, client(i), port(i), 2000, 1000, PSH_ACK, MYSQL_GREETING, ts + 3);
        byte[] header = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFE, 1, (byte) 0x8d};
        send(client(i), port(i), MY, 3306, 1000, 2000 + MYSQL_GREETING.length, PSH_ACK, header, ts + 4);
    }

    /**
     * PostgreSQL over TLS left open: SSLRequest, the server's 'S', a ClientHello, then 1 000 bytes of an
     * application-data record that declares 16 KiB.
     */
    void tlsPartial(int i) {
        long ts = time(i);
        handshake(client(i), port(i), PG, 5432, ts);
        byte[] ssl = {0, 0, 0, 8, 0x04, (byte) 0xD2, 0x16, 0x2F};
        send(client(i), port(i), PG, 5432, 1000, 2000, PSH_ACK, ssl, ts + 3);
        send(PG, 5432, client(i), port(i), 2000, 1008, PSH_ACK, new byte[] {'S'}, ts + 4);
        byte[] hello = clientHello(i);
        byte[] partial = new byte[5 + 1_000];
        partial[0] = 0x17;
        partial[1] = 3;
        partial[2] = 3;
        partial[3] = 0x40; // 16 384
        send(client(i), port(i), PG, 5432, 1008, 2001, PSH_ACK, cat(hello, partial), ts + 5);
    }

    /**
     * A connection picked up mid-stream that prepares {@code statements} named statements of about
     * {@code textBytes} each (Parse + Sync, answered ParseComplete + ReadyForQuery), never closing them.
     */
    void preparedStatements(int i, int statements, int textBytes) {
        long ts = time(i);
        long cseq = 1000;
        long sseq = 2000;
        int batch = 16;
        for (int s = 0; s < statements; s += batch) {
            byte[] req = new byte[0];
            byte[] resp = new byte[0];
            for (int k = s; k < Math.min(statements, s + batch); k++) {
                req = cat(req, parse("s" + k, selectText(i, k, textBytes)), new byte[] {'S', 0, 0, 0, 4});
                resp = cat(resp, new byte[] {'1', 0, 0, 0, 4}, new byte[] {'Z', 0, 0, 0, 5, 'I'});
            }
            send(client(i), port(i), PG, 5432, cseq, sseq, PSH_ACK, req, ts);
            cseq += req.length;
            send(PG, 5432, client(i), port(i), sseq, cseq, PSH_ACK, resp, ts + 1);
            sseq += resp.length;
        }
    }

    /**
     * The first fragment (offset 0, more fragments) of a 64 KiB datagram that never completes: IPv4 for even
     * {@code i}, IPv6 for odd.
     */
    void incompleteFragment(int i) {
        // TCP header and payload: 1 416 bytes, a multiple of 8 as a fragment with MF set must be
        byte[] tcp = FrameBuilder.tcp(port(i), 5432, 1000, 2000, PSH_ACK, new byte[0], new byte[1_396]);
        byte[] frame = (i & 1) == 0 ? ipv4FirstFragment(i, tcp) : ipv6FirstFragment(i, tcp);
        sensor.onFrame(frame, 0, frame.length, LinkType.ETHERNET, time(i));
    }

    private byte[] ipv4FirstFragment(int i, byte[] tcp) {
        byte[] ip = FrameBuilder.ipv4(client(i), PG, FrameBuilder.IP_PROTO_TCP, tcp);
        ip[4] = (byte) (i >>> 8); // identification
        ip[5] = (byte) i;
        ip[6] = 0x20; // MF, offset 0
        ip[7] = 0;
        ip[10] = 0;
        ip[11] = 0;
        int sum = 0;
        for (int k = 0; k < 20; k += 2) {
            sum += ((ip[k] & 0xFF) << 8) | (ip[k + 1] & 0xFF);
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = ~((sum & 0xFFFF) + (sum >>> 16)) & 0xFFFF;
        ip[10] = (byte) (sum >>> 8);
        ip[11] = (byte) sum;
        return FrameBuilder.ethernet(FrameBuilder.ETHERTYPE_IPV4, ip);
    }

    private byte[] ipv6FirstFragment(int i, byte[] tcp) {
        byte[] frag = new byte[8 + tcp.length];
        frag[0] = 6; // next header: TCP
        frag[3] = 1; // offset 0, M
        frag[4] = (byte) (i >>> 24);
        frag[5] = (byte) (i >>> 16);
        frag[6] = (byte) (i >>> 8);
        frag[7] = (byte) i;
        System.arraycopy(tcp, 0, frag, 8, tcp.length);
        byte[] ip = FrameBuilder.ipv6("fd00::" + Integer.toHexString(i & 0xFFFF), "fd00::1", 44, frag);
        return FrameBuilder.ethernet(FrameBuilder.ETHERTYPE_IPV6, ip);
    }

    private void handshake(String client, int port, String server, int serverPort, long ts) {
        send(client, port, server, serverPort, 999, 0, SYN, new byte[0], ts);
        send(server, serverPort, client, port, 1999, 1000, SYN | ACK, new byte[0], ts + 1);
        send(client, port, server, serverPort, 1000, 2000, ACK, new byte[0], ts + 2);
    }

    private void send(String src, int srcPort, String dst, int dstPort, long seq, long ack, int flags,
            byte[] payload, long ts) {
        byte[] frame = FrameBuilder.ipv4Tcp(src, srcPort, dst, dstPort, seq, ack, flags, payload).build();
        sensor.onFrame(frame, 0, frame.length, LinkType.ETHERNET, ts);
    }

    /** A TLS 1.2/1.3 ClientHello record: random from {@code i}, one cipher suite, SNI "db{i}.example". */
    static byte[] clientHello(int i) {
        byte[] host = ("db" + i + ".example").getBytes(StandardCharsets.US_ASCII);
        byte[] sni = cat(u16(0), u16(host.length + 5), u16(host.length + 3), new byte[] {0}, u16(host.length), host);
        byte[] random = new byte[32];
        random[0] = (byte) (i >>> 24);
        random[1] = (byte) (i >>> 16);
        random[2] = (byte) (i >>> 8);
        random[3] = (byte) i;
        byte[] body = cat(new byte[] {3, 3}, random, new byte[] {0}, u16(4), u16(0x1301), u16(0xC02F),
                new byte[] {1, 0}, u16(sni.length), sni);
        byte[] hs = cat(new byte[] {1, 0, (byte) (body.length >>> 8), (byte) body.length}, body);
        return cat(new byte[] {0x16, 3, 1}, u16(hs.length), hs);
    }

    private static byte[] startup() {
        byte[] params = "user\0app\0database\0shop\0\0".getBytes(StandardCharsets.US_ASCII);
        byte[] m = cat(new byte[8], params);
        int length = m.length;
        m[0] = (byte) (length >>> 24);
        m[1] = (byte) (length >>> 16);
        m[2] = (byte) (length >>> 8);
        m[3] = (byte) length;
        m[5] = 3; // protocol 3.0
        return m;
    }

    /** Distinct text per connection and statement that normalisation keeps long: column names, no literals. */
    private static String selectText(int i, int k, int bytes) {
        StringBuilder sb = new StringBuilder("SELECT ");
        for (int c = 0; sb.length() < bytes; c++) {
            sb.append(c == 0 ? "" : ", ").append("col_").append(i).append('_').append(k).append('_').append(c);
        }
        return sb.append(" FROM t").toString();
    }

    private static byte[] parse(String name, String sql) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] q = (sql + "\0").getBytes(StandardCharsets.US_ASCII);
        int length = 4 + n.length + q.length + 2;
        return cat(new byte[] {'P', (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8),
                (byte) length}, n, q, u16(0));
    }

    private static byte[] u16(int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    static byte[] cat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
