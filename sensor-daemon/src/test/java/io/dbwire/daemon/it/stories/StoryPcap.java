package io.dbwire.daemon.it.stories;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One recorded story: the Ethernet/IPv4/TCP frames of a classic pcap written by tcpdump on the loopback interface,
 * with packet times relative to the first packet. Everything else (other link types, IPv6, non-TCP) is refused:
 * the recordings are ours, and a surprise in them should stop the evaluation, not skew it.
 *
 * @param frames     the frames as captured
 * @param offsets    each frame's time after the first frame, in microseconds
 * @param serverPort the port the server listened on (destination of the first SYN)
 */
record StoryPcap(String name, List<byte[]> frames, long[] offsets, int serverPort) {
    static final int ETHERNET = 1;
    static final int ETHER_HEADER = 14;

    long durationMicros() {
        return offsets.length == 0 ? 0 : offsets[offsets.length - 1];
    }

    static StoryPcap read(String name, Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
        in.order(ByteOrder.LITTLE_ENDIAN);
        int magic = in.getInt(0);
        if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
            in.order(ByteOrder.BIG_ENDIAN);
            magic = in.getInt(0);
        }
        boolean nanos = magic == 0xa1b23c4d;
        if (magic != 0xa1b2c3d4 && !nanos) {
            throw new IOException(file + ": not a classic pcap");
        }
        if ((in.getInt(20) & 0x0FFFFFFF) != ETHERNET) {
            throw new IOException(file + ": link type " + in.getInt(20) + " (expected: 1, Ethernet)");
        }
        in.position(24);
        List<byte[]> frames = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        while (in.remaining() >= 16) {
            long seconds = in.getInt() & 0xFFFFFFFFL;
            long fraction = in.getInt() & 0xFFFFFFFFL;
            int caplen = in.getInt();
            in.getInt();
            byte[] frame = new byte[caplen];
            in.get(frame);
            checkTcpOverIpv4(file, frames.size() + 1, frame);
            frames.add(frame);
            times.add(seconds * 1_000_000L + (nanos ? fraction / 1_000 : fraction));
        }
        if (frames.isEmpty()) {
            throw new IOException(file + ": no packets");
        }
        long first = times.get(0);
        long[] offsets = new long[times.size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = times.get(i) - first;
        }
        return new StoryPcap(name, List.copyOf(frames), offsets, serverPort(file, frames));
    }

    private static void checkTcpOverIpv4(Path file, int index, byte[] frame) throws IOException {
        if (frame.length < ETHER_HEADER + 40 || (frame[12] & 0xFF) != 0x08 || frame[13] != 0x00
                || (frame[ETHER_HEADER] & 0xF0) != 0x40 || frame[ETHER_HEADER + 9] != 6) {
            throw new IOException(file + ": packet " + index + " is not TCP over IPv4 in Ethernet");
        }
    }

    static int tcpOffset(byte[] frame) {
        return ETHER_HEADER + (frame[ETHER_HEADER] & 0x0F) * 4;
    }

    static int port(byte[] frame, int at) {
        return ((frame[at] & 0xFF) << 8) | (frame[at + 1] & 0xFF);
    }

    private static int serverPort(Path file, List<byte[]> frames) throws IOException {
        for (byte[] frame : frames) {
            int tcp = tcpOffset(frame);
            int flags = frame[tcp + 13] & 0xFF;
            if ((flags & 0x02) != 0 && (flags & 0x10) == 0) { // SYN without ACK: client to server
                return port(frame, tcp + 2);
            }
        }
        throw new IOException(file + ": no SYN, so no server port");
    }
}
