package io.dbwire.core.pipeline;

import io.dbwire.core.config.MemoryConfig;
import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.config.TcpConfig;
import io.dbwire.core.decap.DecodedPacket;
import io.dbwire.core.decap.FrameBuilder;
import io.dbwire.core.decap.LinkType;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * {@code COUNT} live connections held by a whole {@link Sensor} (detection included) with the shipped defaults:
 * budget {@code 0.5} of the JVM's heap, {@code tcp.max_flows} derived from it. Each connection logs in
 * (PostgreSQL: StartupMessage, AuthenticationOk, ReadyForQuery; MySQL: greeting, HandshakeResponse41, OK), runs
 * one statement and goes idle, as pooled connections do (logins {@link #SPACING_MICROS} apart); when all are open the heap retained after GC is
 * measured; then every connection runs one more statement. Figures are printed as {@code key=value} lines for
 * {@link LiveConnectionsTest}.
 *
 * <p>{@code java -Xmx512m -cp <test classpath> io.dbwire.core.pipeline.LiveConnections postgres|mysql|mixed COUNT
 * [histogram]} ({@code -Dlive.unbounded=true}: no flow bound, no budget); {@code histogram} also prints the top of {@code jcmd <pid> GC.class_histogram} while all are idle.
 */
public final class LiveConnections {
    private static final int SYN = DecodedPacket.SYN;
    private static final int ACK = DecodedPacket.ACK;
    private static final int PSH_ACK = DecodedPacket.PSH | DecodedPacket.ACK;
    private static final String PG = "10.200.0.1";
    private static final String MY = "10.200.0.2";
    private static final long T0 = FloodTraffic.T0;
    /**
     * Packet time between two connections' logins (and, later, their second statements): 1 000 a second, so a
     * connection is quiet for most of the run as a pooled one is, and the idle trim (after 5 s quiet) reaches all
     * but the last few thousand opened when the heap is measured. {@code -Dlive.spacingMicros=N} changes it (10:
     * all within a second, none quiet yet).
     */
    private static final long SPACING_MICROS = Long.getLong("live.spacingMicros", 1_000L);
    /** The Handshake v10 example of the MySQL documentation (server 5.5.2-m2), header included. */
    private static final byte[] MYSQL_GREETING = (hex("36000000" + "0a" + "352e352e322d6d3200"
            + "0b000000" + "64764840492d434a" + "00" + "fff7" + "08" + "0200" + "0f80" + "15"
            + "00000000000000000000" + "2a34647c635a776b345e5d3a00"));

    private final Sensor sensor;
    private long logins;
    private long statements;
    private long okStatements;

    private LiveConnections(SensorConfig config) {
        this.sensor = new Sensor(config, r -> {
            if (r.kind() == RecordKind.LOGIN) {
                logins++;
            } else if (r.kind() == RecordKind.STATEMENT) {
                statements++;
                okStatements += r.status() == RecordStatus.OK ? 1 : 0;
            }
        }, a -> { });
    }

    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        int count = Integer.parseInt(args[1]);
        boolean histogram = args.length > 2 && args[2].equals("histogram");
        long budget = (long) (Runtime.getRuntime().maxMemory() * 0.5); // memory.max_heap_fraction's default
        // -Dlive.unbounded=true: no flow bound and no budget, to measure what a connection costs however many
        boolean unbounded = Boolean.getBoolean("live.unbounded");
        int maxFlows = unbounded ? 1 << 20 : MemoryConfig.derivedMaxFlows(budget);
        SensorConfig d = SensorConfig.defaults();
        TcpConfig t = d.tcp();
        SensorConfig config = new SensorConfig(d.decap(), new TcpConfig(maxFlows, t.maxBufferedBytesPerFlow(),
                t.maxBufferedBytesTotal(), t.idleTimeoutMicros()), d.protocols(), d.detection(),
                unbounded ? MemoryConfig.unlimited() : new MemoryConfig(budget));
        long baseline = usedHeapAfterGc();
        LiveConnections live = new LiveConnections(config);
        for (int i = 0; i < count; i++) {
            live.open(scenario, i, T0 + i * SPACING_MICROS);
        }
        long idle = usedHeapAfterGc() - baseline;
        int active = live.sensor.activeFlows();
        long charged = live.sensor.stats().memory().usedBytes();
        if (histogram) {
            printHistogram();
        }
        long later = T0 + count * SPACING_MICROS + 1_000_000L;
        for (int i = 0; i < count; i++) {
            live.again(scenario, i, later + i * SPACING_MICROS);
        }
        SensorStats before = live.sensor.stats();
        live.sensor.finish();
        System.out.println("scenario=" + scenario);
        System.out.println("connections=" + count);
        System.out.println("budget_bytes=" + budget);
        System.out.println("max_flows=" + maxFlows);
        System.out.println("active_flows_idle=" + active);
        System.out.println("charged_idle_bytes=" + charged);
        System.out.println("heap_idle_bytes=" + idle);
        System.out.println("bytes_per_connection=" + idle / Math.max(1, active)); // per connection held
        System.out.println("logins=" + live.logins);
        System.out.println("statements=" + live.statements);
        System.out.println("ok_statements=" + live.okStatements);
        System.out.println("problems=" + before.problems());
    }

    private void open(String scenario, int i, long ts) {
        if (postgres(scenario, i)) {
            postgresLogin(i, ts);
        } else {
            mysqlLogin(i, ts);
        }
    }

    private void again(String scenario, int i, long ts) {
        if (postgres(scenario, i)) {
            postgresQuery(i, ts, PG_AFTER_LOGIN_CLIENT + PG_QUERY.length, PG_AFTER_LOGIN_SERVER + PG_ANSWER.length);
        } else {
            mysqlQuery(i, ts, MY_AFTER_LOGIN_CLIENT + MY_QUERY.length, MY_AFTER_LOGIN_SERVER + MY_ANSWER.length);
        }
    }

    private static boolean postgres(String scenario, int i) {
        return scenario.equals("postgres") || (scenario.equals("mixed") && (i & 1) == 0);
    }

    // PostgreSQL: StartupMessage; AuthenticationOk, ParameterStatus, BackendKeyData, ReadyForQuery.
    private static final byte[] PG_STARTUP = startup();
    private static final byte[] PG_LOGIN_ANSWER = FloodTraffic.cat(pgMessage('R', new byte[4]),
            pgMessage('S', ascii("server_version\u000015.4\u0000")), pgMessage('K', new byte[8]),
            pgMessage('Z', new byte[] {'I'}));
    private static final byte[] PG_QUERY = pgMessage('Q', ascii("UPDATE accounts SET balance = balance + 1\u0000"));
    private static final byte[] PG_ANSWER = FloodTraffic.cat(pgMessage('C', ascii("UPDATE 1\u0000")),
            pgMessage('Z', new byte[] {'I'}));
    private static final long PG_AFTER_LOGIN_CLIENT = 1000 + PG_STARTUP.length;
    private static final long PG_AFTER_LOGIN_SERVER = 2000 + PG_LOGIN_ANSWER.length;

    private void postgresLogin(int i, long ts) {
        handshake(i, PG, 5432, ts);
        send(client(i), port(i), PG, 5432, 1000, 2000, PSH_ACK, PG_STARTUP, ts + 3);
        send(PG, 5432, client(i), port(i), 2000, PG_AFTER_LOGIN_CLIENT, PSH_ACK, PG_LOGIN_ANSWER, ts + 4);
        postgresQuery(i, ts + 5, PG_AFTER_LOGIN_CLIENT, PG_AFTER_LOGIN_SERVER);
    }

    private void postgresQuery(int i, long ts, long cseq, long sseq) {
        send(client(i), port(i), PG, 5432, cseq, sseq, PSH_ACK, PG_QUERY, ts);
        send(PG, 5432, client(i), port(i), sseq, cseq + PG_QUERY.length, PSH_ACK, PG_ANSWER, ts + 1);
    }

    // MySQL: greeting; HandshakeResponse41 (protocol 4.1, secure connection, plugin auth, with database); OK.
    private static final byte[] MY_LOGIN = mysqlPacket(1, FloodTraffic.cat(
            le32(0x0000_0001 | 0x0008 | 0x0200 | 0x2000 | 0x8000 | 0x8_0000), le32(16 << 20), new byte[] {33},
            new byte[23], ascii("app\u0000"), new byte[] {20}, new byte[20], ascii("shop\u0000"),
            ascii("mysql_native_password\u0000")));
    private static final byte[] MY_LOGIN_OK = mysqlPacket(2, new byte[] {0, 0, 0, 2, 0, 0, 0});
    private static final byte[] MY_QUERY = mysqlPacket(0, FloodTraffic.cat(new byte[] {3},
            ascii("UPDATE accounts SET balance = balance + 1")));
    private static final byte[] MY_ANSWER = mysqlPacket(1, new byte[] {0, 1, 0, 2, 0, 0, 0});
    private static final long MY_AFTER_LOGIN_CLIENT = 1000 + MY_LOGIN.length;
    private static final long MY_AFTER_LOGIN_SERVER = 2000 + MYSQL_GREETING.length + MY_LOGIN_OK.length;

    private void mysqlLogin(int i, long ts) {
        handshake(i, MY, 3306, ts);
        send(MY, 3306, client(i), port(i), 2000, 1000, PSH_ACK, MYSQL_GREETING, ts + 3);
        send(client(i), port(i), MY, 3306, 1000, 2000 + MYSQL_GREETING.length, PSH_ACK, MY_LOGIN, ts + 4);
        send(MY, 3306, client(i), port(i), 2000 + MYSQL_GREETING.length, MY_AFTER_LOGIN_CLIENT, PSH_ACK,
                MY_LOGIN_OK, ts + 5);
        mysqlQuery(i, ts + 6, MY_AFTER_LOGIN_CLIENT, MY_AFTER_LOGIN_SERVER);
    }

    private void mysqlQuery(int i, long ts, long cseq, long sseq) {
        send(client(i), port(i), MY, 3306, cseq, sseq, PSH_ACK, MY_QUERY, ts);
        send(MY, 3306, client(i), port(i), sseq, cseq + MY_QUERY.length, PSH_ACK, MY_ANSWER, ts + 1);
    }

    private void handshake(int i, String server, int serverPort, long ts) {
        send(client(i), port(i), server, serverPort, 999, 0, SYN, new byte[0], ts);
        send(server, serverPort, client(i), port(i), 1999, 1000, SYN | ACK, new byte[0], ts + 1);
        send(client(i), port(i), server, serverPort, 1000, 2000, ACK, new byte[0], ts + 2);
    }

    private void send(String src, int srcPort, String dst, int dstPort, long seq, long ack, int flags,
            byte[] payload, long ts) {
        byte[] frame = FrameBuilder.ipv4Tcp(src, srcPort, dst, dstPort, seq, ack, flags, payload).build();
        sensor.onFrame(frame, 0, frame.length, LinkType.ETHERNET, ts);
    }

    /** Pools: 1 000 connections from each application host, as a server's pooled clients come. */
    private static String client(int i) {
        int host = i / 1_000;
        return "10.1." + ((host >>> 8) & 0xFF) + "." + (host & 0xFF);
    }

    private static int port(int i) {
        return 20_000 + i % 1_000;
    }

    private static byte[] startup() {
        byte[] params = ascii("user\u0000app\u0000database\u0000shop\u0000\u0000");
        byte[] m = FloodTraffic.cat(new byte[8], params);
        m[0] = (byte) (m.length >>> 24);
        m[1] = (byte) (m.length >>> 16);
        m[2] = (byte) (m.length >>> 8);
        m[3] = (byte) m.length;
        m[5] = 3; // protocol 3.0
        return m;
    }

    private static byte[] pgMessage(char type, byte[] body) {
        int length = 4 + body.length;
        return FloodTraffic.cat(new byte[] {(byte) type, (byte) (length >>> 24), (byte) (length >>> 16),
                (byte) (length >>> 8), (byte) length}, body);
    }

    private static byte[] mysqlPacket(int sequence, byte[] payload) {
        int n = payload.length;
        return FloodTraffic.cat(new byte[] {(byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) sequence}, payload);
    }

    private static byte[] le32(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The 40 classes holding most of the heap, by the JDK's own jcmd. */
    private static void printHistogram() throws IOException, InterruptedException {
        String jcmd = System.getProperty("java.home") + "/bin/jcmd";
        Process p = new ProcessBuilder(jcmd, Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
                .redirectErrorStream(true).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            for (int n = 0; (line = in.readLine()) != null; n++) {
                if (n < 100) {
                    System.out.println("histogram: " + line);
                }
            }
        }
        p.waitFor();
    }
}
