package io.dbwire.daemon.lifecycle;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.decap.LinkType;
import io.dbwire.core.pipeline.Sensor;
import io.dbwire.core.record.RecordLine;
import io.dbwire.daemon.source.PcapFileSource;
import io.dbwire.daemon.source.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the engine over two bundled captures (PostgreSQL over VXLAN, MySQL; the same as testdata/) before
 * {@code run} opens its sockets, so that the first mirrored datagrams meet compiled code. A freshly started JVM
 * interprets the pipeline for its first seconds (several µs a packet instead of about one) while the mirror keeps
 * sending, and the kernel's receive buffer overflows meanwhile (docs/performance.md, "Cold start").
 *
 * <p>The sensor is a throw-away one with the daemon's own engine settings: its records are encoded to JSON as the
 * records file would write them and dropped, its alerts dropped, and nothing of its state or counters reaches the
 * real pipeline. The captures are replayed again and again, each pass later in packet time than the last, until
 * the warm-up has had the CPU time given.
 */
final class WarmUp {
    private static final String[] CAPTURES = {"warmup/pg-basic-vxlan.pcap", "warmup/mysql-basic.pcap"};

    private final List<Frame> frames = new ArrayList<>();
    private final long span;

    private record Frame(byte[] bytes, LinkType linkType, long tsMicros) {}

    /** Result of a warm-up: passes over the captures, records made, how long it took. */
    record Result(int passes, long records, long millis, long cpuMillis) {}

    private WarmUp() throws SourceException {
        long next = Long.MIN_VALUE;
        for (String name : CAPTURES) {
            List<Frame> capture = new ArrayList<>();
            try (InputStream in = WarmUp.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new SourceException(name + ": not on the class path");
                }
                PcapFileSource.read(in, name, (frame, offset, length, linkType, ts) -> capture.add(
                        new Frame(Arrays.copyOfRange(frame, offset, offset + length), linkType, ts)));
            } catch (IOException e) {
                throw new SourceException(name + ": cannot be read (" + e.getMessage() + ")");
            }
            if (capture.isEmpty()) {
                continue;
            }
            // the captures one after the other in packet time, each starting a second after the previous one ended
            long first = capture.get(0).tsMicros();
            long shift = next == Long.MIN_VALUE ? 0 : next - first;
            for (Frame f : capture) {
                frames.add(new Frame(f.bytes(), f.linkType(), f.tsMicros() + shift));
                next = Math.max(next, f.tsMicros() + shift + 1_000_000L);
            }
        }
        this.span = frames.isEmpty() ? 0 : next - frames.get(0).tsMicros();
    }

    /**
     * Feeds the bundled captures through a throw-away sensor until it has had {@code time} of CPU (zero: not at
     * all) or {@link #MAX_FACTOR} times {@code time} has passed on the wall clock: on a busy host the warm-up gets
     * a fraction of a core, and the same compiled code then takes longer to reach.
     */
    static Result run(SensorConfig engine, Duration time) throws SourceException {
        if (time.isZero() || time.isNegative()) {
            return new Result(0, 0, 0, 0);
        }
        return new WarmUp().feed(engine, time.toNanos());
    }

    static final int MAX_FACTOR = 3;

    /**
     * The bundled captures' frames as the UDP payloads a mirror sends: a VXLAN-wrapped frame's own UDP payload
     * (VXLAN header and inner frame), any other frame behind a VXLAN header of its own (VNI 1). For
     * {@link ReceiveWarmUp}, which sends them over loopback.
     */
    static List<byte[]> vxlanPayloads() throws SourceException {
        List<byte[]> out = new ArrayList<>();
        for (Frame f : new WarmUp().frames) {
            out.add(vxlanPayload(f.bytes()));
        }
        return out;
    }

    private static final int VXLAN_PORT = 4789;

    private static byte[] vxlanPayload(byte[] frame) {
        int ip = 14;
        if (frame.length >= ip + 28 && (frame[12] & 0xff) == 0x08 && frame[13] == 0x00 && (frame[ip] & 0xf0) == 0x40
                && frame[ip + 9] == 17) {
            int udp = ip + (frame[ip] & 0x0f) * 4;
            if (frame.length >= udp + 8 && ((frame[udp + 2] & 0xff) << 8 | (frame[udp + 3] & 0xff)) == VXLAN_PORT) {
                return Arrays.copyOfRange(frame, udp + 8, frame.length);
            }
        }
        byte[] wrapped = new byte[8 + frame.length];
        wrapped[0] = 0x08; // flags: VNI present (RFC 7348, section 5)
        wrapped[6] = 1;    // VNI 1 in bytes 4-6
        System.arraycopy(frame, 0, wrapped, 8, frame.length);
        return wrapped;
    }

    private Result feed(SensorConfig engine, long nanos) {
        RecordLine encoder = new RecordLine();
        long[] records = new long[1];
        Sensor sensor = new Sensor(engine, r -> {
            encoder.encode(r);
            records[0]++;
        }, alert -> { });
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean cpuTimed = threads.isCurrentThreadCpuTimeSupported();
        long cpuStart = cpuTimed ? threads.getCurrentThreadCpuTime() : 0;
        long start = System.nanoTime();
        int passes = 0;
        long cpu;
        long wall;
        do {
            long shift = passes * span;
            for (Frame f : frames) {
                sensor.onFrame(f.bytes(), 0, f.bytes().length, f.linkType(), f.tsMicros() + shift);
            }
            passes++;
            wall = System.nanoTime() - start;
            cpu = cpuTimed ? threads.getCurrentThreadCpuTime() - cpuStart : wall;
        } while (cpu < nanos && wall < MAX_FACTOR * nanos);
        sensor.finish();
        return new Result(passes, records[0], (System.nanoTime() - start) / 1_000_000L,
                (cpuTimed ? threads.getCurrentThreadCpuTime() - cpuStart : 0) / 1_000_000L);
    }
}
