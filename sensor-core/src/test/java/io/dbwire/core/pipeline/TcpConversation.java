package io.dbwire.core.pipeline;

import io.dbwire.core.decap.DecodedPacket;
import io.dbwire.core.decap.FrameBuilder;
import io.dbwire.core.decap.LinkType;
import java.util.ArrayList;
import java.util.List;

/**
 * One TCP connection written out as Ethernet frames ahead of time, to be fed to a {@link Sensor} later: the
 * frames exist before a measurement starts, so feeding them costs nothing but the engine's own work. Payload is
 * cut into segments of at most {@value #MSS} bytes, and the receiver acknowledges every second segment with a
 * bare ACK, as a delayed-ACK stack does. Packet time advances {@value #STEP_MICROS} µs per frame.
 */
public final class TcpConversation {
    public static final int MSS = 1448;
    private static final long STEP_MICROS = 10;
    private static final int ACK = DecodedPacket.ACK;
    private static final int PSH_ACK = DecodedPacket.PSH | DecodedPacket.ACK;

    private final String client;
    private final int clientPort;
    private final String server;
    private final int serverPort;
    private final List<byte[]> frames = new ArrayList<>();
    /** Frame ranges {from, to} whose allocation {@link #playMeasured} counts. */
    private final List<int[]> windows = new ArrayList<>();
    private int windowStart = -1;
    private long clientSeq = 1000;
    private long serverSeq = 5000;
    private final long startMicros;

    public TcpConversation(String client, int clientPort, String server, int serverPort, long startMicros) {
        this.client = client;
        this.clientPort = clientPort;
        this.server = server;
        this.serverPort = serverPort;
        this.startMicros = startMicros;
        frame(true, clientSeq - 1, 0, DecodedPacket.SYN, new byte[0]);
        frame(false, serverSeq - 1, clientSeq, DecodedPacket.SYN | ACK, new byte[0]);
        frame(true, clientSeq, serverSeq, ACK, new byte[0]);
    }

    /** Appends {@code bytes} from one side as segments, each second one acknowledged by the other side. */
    public void send(boolean fromClient, byte[] bytes) {
        for (int at = 0, segment = 1; at < bytes.length; at += MSS, segment++) {
            int len = Math.min(MSS, bytes.length - at);
            byte[] payload = java.util.Arrays.copyOfRange(bytes, at, at + len);
            if (fromClient) {
                frame(true, clientSeq, serverSeq, PSH_ACK, payload);
                clientSeq += len;
            } else {
                frame(false, serverSeq, clientSeq, PSH_ACK, payload);
                serverSeq += len;
            }
            if (segment % 2 == 0) {
                frame(!fromClient, fromClient ? serverSeq : clientSeq, fromClient ? clientSeq : serverSeq, ACK,
                        new byte[0]);
            }
        }
    }

    /** The frames written from now on, up to {@link #measureTo}, are counted by {@link #playMeasured}. */
    public void measureFrom() {
        windowStart = frames.size();
    }

    public void measureTo() {
        windows.add(new int[] {windowStart, frames.size()});
        windowStart = -1;
    }

    /** Bytes the feeding thread allocated and packets fed, over the windows counted. */
    public record Allocation(long bytes, long packets, int windows) {
        public double perPacket() {
            return packets == 0 ? 0 : (double) bytes / packets;
        }
    }

    /**
     * Feeds every frame in order and counts the allocation over the measured windows, leaving out the first
     * {@code warmUpWindows} (class loading, first-time paths, the JIT's first tiers).
     */
    public Allocation playMeasured(Sensor sensor, ThreadAllocation meter, int warmUpWindows) {
        long bytes = 0;
        long packets = 0;
        int next = 0;
        for (int w = 0; w < windows.size(); w++) {
            int[] window = windows.get(w);
            play(sensor, next, window[0]);
            if (w < warmUpWindows) {
                play(sensor, window[0], window[1]);
            } else {
                long before = meter.bytes();
                play(sensor, window[0], window[1]);
                bytes += meter.bytes() - before;
                packets += window[1] - window[0];
            }
            next = window[1];
        }
        play(sensor, next, frames.size());
        return new Allocation(bytes, packets, Math.max(0, windows.size() - warmUpWindows));
    }

    /**
     * Writes {@code warmUp + measured} rounds of {@code request} then {@code answer}, the last {@code measured}
     * each in a window, plays every frame and returns the bytes allocated per measured round.
     */
    public long allocatedPerExchange(Sensor sensor, byte[] request, byte[] answer, int warmUp, int measured) {
        for (int i = 0; i < warmUp + measured; i++) {
            if (i >= warmUp) {
                measureFrom();
            }
            send(true, request);
            send(false, answer);
            if (i >= warmUp) {
                measureTo();
            }
        }
        Allocation a = playMeasured(sensor, ThreadAllocation.ofCurrentThread(), 0);
        return a.bytes() / a.windows();
    }

    /** Frames written so far: a mark for {@link #play}. */
    public int size() {
        return frames.size();
    }

    /** Feeds frames {@code from} (inclusive) to {@code to} (exclusive); a frame's time is its index's. */
    public void play(Sensor sensor, int from, int to) {
        for (int i = from; i < to; i++) {
            byte[] f = frames.get(i);
            sensor.onFrame(f, 0, f.length, LinkType.ETHERNET, startMicros + i * STEP_MICROS);
        }
    }

    /** Feeds every frame written since {@code from}. */
    public void playFrom(Sensor sensor, int from) {
        play(sensor, from, frames.size());
    }

    private void frame(boolean fromClient, long seq, long ack, int flags, byte[] payload) {
        byte[] f = fromClient
                ? FrameBuilder.ipv4Tcp(client, clientPort, server, serverPort, seq, ack, flags, payload).build()
                : FrameBuilder.ipv4Tcp(server, serverPort, client, clientPort, seq, ack, flags, payload).build();
        frames.add(f);
    }
}
