package io.dbwire.core.pipeline;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.decap.DecodedPacket;
import io.dbwire.core.decap.FrameBuilder;
import io.dbwire.core.decap.LinkType;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Opens many PostgreSQL or MySQL connections through a {@link Sensor} with the shipped defaults, each stopping
 * right after a message header that declares a huge length, and prints the heap retained per connection
 * (after GC). Run in a child JVM with a small heap by {@link HeaderOnlyFloodTest}; by hand:
 * {@code java -Xmx256m -cp <test classpath> io.dbwire.core.pipeline.HeaderOnlyFlood postgres 20000}.
 */
public final class HeaderOnlyFlood {
    private static final long T0 = 1_700_000_000_000_000L;
    private static final int SYN = DecodedPacket.SYN;
    private static final int ACK = DecodedPacket.ACK;
    private static final int PSH_ACK = DecodedPacket.PSH | DecodedPacket.ACK;

    /** The Handshake v10 example of the MySQL documentation (server 5.5.2-m2), header included. */
    private static final byte[] MYSQL_GREETING = hex("36000000" + "0a" + "352e352e322d6d3200" + "0b000000"
            + "64764840492d434a" + "00" + "fff7" + "08" + "0200" + "0f80" + "15" + "00000000000000000000"
            + "2a34647c635a776b345e5d3a00");

    private HeaderOnlyFlood() {}

    public static void main(String[] args) {
        boolean postgres = args[0].equals("postgres");
        int connections = Integer.parseInt(args[1]);
        Sensor sensor = new Sensor(SensorConfig.defaults(), record -> { }, alert -> { });
        long before = usedHeapAfterGc();
        for (int i = 0; i < connections; i++) {
            String client = "10." + ((i >>> 16) & 0xFF) + "." + ((i >>> 8) & 0xFF) + "." + (i & 0xFF);
            int port = 1024 + (i % 60_000);
            if (postgres) {
                openPostgres(sensor, client, port, T0 + i * 10L);
            } else {
                openMySql(sensor, client, port, T0 + i * 10L);
            }
        }
        long after = usedHeapAfterGc();
        SensorStats stats = sensor.stats();
        System.out.println("flows=" + stats.flows());
        System.out.println("bytes_per_connection=" + Math.max(0, after - before) / connections);
        System.out.println("counters=" + stats.counters());
    }

    /** Handshake, StartupMessage, then only the 5-byte header of a Query declaring 60 MiB. */
    private static void openPostgres(Sensor sensor, String client, int port, long ts) {
        handshake(sensor, client, port, "10.200.0.1", 5432, ts);
        byte[] startup = startupMessage();
        byte[] header = {'Q', 0x03, (byte) 0xC0, 0, 4}; // length 60 MiB + 4
        send(sensor, client, port, "10.200.0.1", 5432, 1000, 2000, PSH_ACK, concat(startup, header), ts + 3);
    }

    /**
     * Handshake, the server's greeting, then only the header and first byte of a HandshakeResponse declaring
     * 16 MiB - 1 bytes.
     */
    private static void openMySql(Sensor sensor, String client, int port, long ts) {
        handshake(sensor, client, port, "10.200.0.2", 3306, ts);
        send(sensor, "10.200.0.2", 3306, client, port, 2000, 1000, PSH_ACK, MYSQL_GREETING, ts + 3);
        byte[] header = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFE, 1, (byte) 0x8d};
        send(sensor, client, port, "10.200.0.2", 3306, 1000, 2000 + MYSQL_GREETING.length, PSH_ACK, header, ts + 4);
    }

    private static void handshake(Sensor sensor, String client, int port, String server, int serverPort, long ts) {
        send(sensor, client, port, server, serverPort, 999, 0, SYN, new byte[0], ts);
        send(sensor, server, serverPort, client, port, 1999, 1000, SYN | ACK, new byte[0], ts + 1);
        send(sensor, client, port, server, serverPort, 1000, 2000, ACK, new byte[0], ts + 2);
    }

    private static void send(Sensor sensor, String src, int srcPort, String dst, int dstPort, long seq, long ack,
            int flags, byte[] payload, long ts) {
        byte[] frame = FrameBuilder.ipv4Tcp(src, srcPort, dst, dstPort, seq, ack, flags, payload).build();
        sensor.onFrame(frame, 0, frame.length, LinkType.ETHERNET, ts);
    }

    private static byte[] startupMessage() {
        byte[] params = "user\0app\0database\0shop\0\0".getBytes(StandardCharsets.US_ASCII);
        int length = 8 + params.length;
        byte[] m = new byte[length];
        m[0] = (byte) (length >>> 24);
        m[1] = (byte) (length >>> 16);
        m[2] = (byte) (length >>> 8);
        m[3] = (byte) length;
        m[5] = 3; // protocol 3.0
        System.arraycopy(params, 0, m, 8, params.length);
        return m;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
