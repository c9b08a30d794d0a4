package io.dbwire.bench;

import io.dbwire.core.config.DecapConfig;
import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.config.TcpConfig;
import io.dbwire.core.decap.DecodedPacket;
import io.dbwire.core.decap.Decapsulator;
import io.dbwire.core.protocol.mysql.MySqlEvent;
import io.dbwire.core.protocol.mysql.MySqlSession;
import io.dbwire.core.protocol.postgres.PgBackendDirectory;
import io.dbwire.core.protocol.postgres.PgEvent;
import io.dbwire.core.protocol.postgres.PgSession;
import io.dbwire.core.protocol.sql.SqlDialect;
import io.dbwire.core.protocol.sql.SqlNormalizer;
import io.dbwire.core.record.RecordSink;
import io.dbwire.core.tcp.CloseReason;
import io.dbwire.core.tcp.ConnectionInfo;
import io.dbwire.core.tcp.Direction;
import io.dbwire.core.tcp.StreamListener;
import io.dbwire.core.tcp.StreamListenerFactory;
import io.dbwire.core.tcp.TcpTracker;
import io.dbwire.core.util.ReasonCounters;
import io.dbwire.daemon.source.PcapFileSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The protocol stage alone: PostgreSQL and MySQL sessions fed the reassembled TCP payload of a real capture, as
 * the TCP layer delivered it (decap and reassembly run once, at setup, and are not measured). One operation is one
 * pass over every connection of the capture's first {@code frames} frames with new sessions (the SQL normalisers
 * are the engine's, kept across passes); records go to a Blackhole. Allocation per operation: {@code -prof gc}
 * (gc.alloc.rate.norm); divide by the delivery count printed at setup for bytes per delivery. Run:
 * <pre>
 * java -jar sensor-bench/target/benchmarks.jar ProtocolSessionBenchmark -prof gc \
 *     -p capture=/tmp/dbwire-bench/bench-600k.pcap -p frames=100000
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProtocolSessionBenchmark {
    @Param({"testdata/pg-basic.pcap", "testdata/mysql-basic.pcap"})
    public String capture;

    /** Frames read from the capture (0: all of them); a payload copy of each is held in memory. */
    @Param("100000")
    public int frames;

    private static final byte DATA = 0;
    private static final byte GAP = 1;
    private static final byte CLOSE = 2;

    /** The defaults, plus 13306: the bundled MariaDB capture's server port (the engine finds it by sniffing). */
    private final ProtocolConfig config = new ProtocolConfig(Set.of(5432), Set.of(3306, 13306),
            ProtocolConfig.defaults().statementMode(), ProtocolConfig.defaults().maxStatementBytes(),
            ProtocolConfig.defaults().maxMessageBytes(), false, false);
    private final ReasonCounters<PgEvent> pgCounters = new ReasonCounters<>(PgEvent.class);
    private final ReasonCounters<MySqlEvent> mysqlCounters = new ReasonCounters<>(MySqlEvent.class);
    private final PgBackendDirectory backends = new PgBackendDirectory();
    private SqlNormalizer pgSql;
    private SqlNormalizer mysqlSql;
    private RecordSink sink;

    /** What the TCP layer delivered, in order: one entry per call. */
    private final List<ConnectionInfo> connections = new ArrayList<>();
    private int[] connection;
    private byte[] kind;
    private boolean[] toServer;
    private byte[][] payload;
    private long[] amount;
    private long[] ts;
    private int events;

    @Setup(Level.Trial)
    public void record(Blackhole bh) throws Exception {
        pgSql = new SqlNormalizer(SqlDialect.POSTGRESQL, config.maxStatementBytes());
        mysqlSql = new SqlNormalizer(SqlDialect.MYSQL, config.maxStatementBytes());
        sink = bh::consume;
        Recorder recorder = new Recorder();
        TcpTracker tcp = new TcpTracker(TcpConfig.defaults(), recorder);
        Decapsulator decap = new Decapsulator(DecapConfig.defaults());
        DecodedPacket packet = new DecodedPacket();
        long[] read = new long[2]; // frames, last packet time
        PcapFileSource.read(Path.of(capture), (f, off, len, link, t) -> {
            read[0]++;
            read[1] = t;
            if (decap.decode(f, off, len, link, t, packet)) {
                tcp.onPacket(packet);
            }
        }, () -> frames > 0 && read[0] >= frames);
        tcp.closeAll(read[1]);
        connection = recorder.connection.stream().mapToInt(Integer::intValue).toArray();
        kind = new byte[recorder.kind.size()];
        toServer = new boolean[kind.length];
        amount = new long[kind.length];
        ts = new long[kind.length];
        payload = recorder.payload.toArray(new byte[0][]);
        long bytes = 0;
        for (int i = 0; i < kind.length; i++) {
            kind[i] = recorder.kind.get(i);
            toServer[i] = recorder.toServer.get(i);
            amount[i] = recorder.amount.get(i);
            ts[i] = recorder.ts.get(i);
            bytes += payload[i] == null ? 0 : payload[i].length;
        }
        events = kind.length;
        System.out.printf("%n%s: %d frames, %d connections, %d deliveries, %d payload bytes per operation%n",
                capture, read[0], connections.size(), events, bytes);
    }

    @Benchmark
    public int sessions() {
        StreamListener[] open = new StreamListener[connections.size()];
        for (int i = 0; i < events; i++) {
            int c = connection[i];
            StreamListener s = open[c];
            if (s == null) {
                s = open[c] = session(connections.get(c));
            }
            Direction d = toServer[i] ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT;
            if (kind[i] == DATA) {
                s.onData(d, payload[i], 0, payload[i].length, ts[i]);
            } else if (kind[i] == GAP) {
                s.onGap(d, amount[i], ts[i]);
            } else {
                s.onClose(CloseReason.values()[(int) amount[i]], ts[i]);
            }
        }
        return open.length;
    }

    private StreamListener session(ConnectionInfo c) {
        return config.postgresPorts().contains(c.serverPort())
                ? new PgSession(c, config, pgSql, sink, pgCounters, backends)
                : new MySqlSession(c, config, mysqlSql, sink, mysqlCounters);
    }

    /** Stands in for the protocol dispatcher at setup: keeps what each connection is handed. */
    private final class Recorder implements StreamListenerFactory {
        final List<Integer> connection = new ArrayList<>();
        final List<Byte> kind = new ArrayList<>();
        final List<Boolean> toServer = new ArrayList<>();
        final List<byte[]> payload = new ArrayList<>();
        final List<Long> amount = new ArrayList<>();
        final List<Long> ts = new ArrayList<>();

        @Override
        public StreamListener open(ConnectionInfo info) {
            if (!isServerPort(info.serverPort())) {
                return null;
            }
            int id = connections.size();
            connections.add(info);
            return new StreamListener() {
                @Override
                public void onData(Direction direction, byte[] buffer, int offset, int length, long tsMicros) {
                    add(id, DATA, direction, java.util.Arrays.copyOfRange(buffer, offset, offset + length), 0,
                            tsMicros);
                }

                @Override
                public void onGap(Direction direction, long missingBytes, long tsMicros) {
                    add(id, GAP, direction, null, missingBytes, tsMicros);
                }

                @Override
                public void onClose(CloseReason reason, long tsMicros) {
                    add(id, CLOSE, Direction.CLIENT_TO_SERVER, null, reason.ordinal(), tsMicros);
                }
            };
        }

        private void add(int id, byte k, Direction d, byte[] data, long n, long t) {
            connection.add(id);
            kind.add(k);
            toServer.add(d == Direction.CLIENT_TO_SERVER);
            payload.add(data);
            amount.add(n);
            ts.add(t);
        }

        @Override
        public boolean isServerPort(int port) {
            return config.postgresPorts().contains(port) || config.mysqlPorts().contains(port);
        }
    }
}
