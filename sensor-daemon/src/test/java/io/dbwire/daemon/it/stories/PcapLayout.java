package io.dbwire.daemon.it.stories;

import io.dbwire.core.record.Endpoint;
import io.dbwire.daemon.it.stories.StoryCalendar.Placement;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The retiming tool: writes every placement of a layout into one pcap in packet-time order. Each copy's packets keep
 * their recorded spacing from the copy's start; the loopback addresses become the placement's client and server,
 * the server port the protocol's standard one, and each client port a fresh one from that client's ephemeral range,
 * so that every copy is a connection of its own. The IPv4 header checksum is recomputed; the TCP checksum is left as
 * recorded (loopback captures carry offloaded checksums anyway, and the sensor does not verify them).
 */
final class PcapLayout {
    private static final int FIRST_EPHEMERAL = 32_768;
    private static final int EPHEMERAL_PORTS = 61_000 - FIRST_EPHEMERAL;

    /** How much the layout wrote. */
    record Written(long packets, long bytes) {}

    private final Map<String, StoryPcap> stories;
    private final Map<String, Integer> nextPort = new HashMap<>();

    PcapLayout(Map<String, StoryPcap> stories) {
        this.stories = stories;
    }

    Written write(List<Placement> placements, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            return write(placements, out);
        }
    }

    Written write(List<Placement> placements, OutputStream out) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262_144)
                .putInt(StoryPcap.ETHERNET);
        out.write(header.array());
        PriorityQueue<Copy> active = new PriorityQueue<>((a, b) -> Long.compare(a.nextTime(), b.nextTime()));
        ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        byte[] frame = new byte[262_144];
        long packets = 0;
        long bytes = 24;
        int next = 0;
        while (next < placements.size() || !active.isEmpty()) {
            // A copy joins once packet time reaches its start, so the queue holds only the copies in progress.
            while (next < placements.size()
                    && (active.isEmpty() || placements.get(next).startMicros() <= active.peek().nextTime())) {
                active.add(new Copy(placements.get(next++)));
            }
            Copy copy = active.poll();
            int length = copy.rewriteNext(frame);
            long ts = copy.nextTime();
            record.clear();
            record.putInt((int) (ts / 1_000_000)).putInt((int) (ts % 1_000_000)).putInt(length).putInt(length);
            out.write(record.array());
            out.write(frame, 0, length);
            packets++;
            bytes += 16 + length;
            if (copy.advance()) {
                active.add(copy);
            }
        }
        return new Written(packets, bytes);
    }

    private int freshPort(String client) {
        int n = nextPort.merge(client, 1, Integer::sum) - 1;
        return FIRST_EPHEMERAL + Math.floorMod(n * 7_919, EPHEMERAL_PORTS); // spread, and long before reuse
    }

    /** One copy of a story on its way into the file. */
    private final class Copy {
        private final Placement placement;
        private final StoryPcap story;
        private final byte[] client;
        private final byte[] server;
        private final Map<Integer, Integer> clientPorts = new HashMap<>();
        private int index;

        Copy(Placement placement) {
            this.placement = placement;
            this.story = stories.get(placement.story());
            if (story == null) {
                throw new IllegalArgumentException("no recording for story " + placement.story());
            }
            this.client = address(placement.client());
            this.server = address(placement.server().ip());
        }

        long nextTime() {
            return placement.startMicros() + story.offsets()[index];
        }

        boolean advance() {
            return ++index < story.frames().size();
        }

        int rewriteNext(byte[] into) {
            byte[] original = story.frames().get(index);
            System.arraycopy(original, 0, into, 0, original.length);
            int ip = StoryPcap.ETHER_HEADER;
            int tcp = StoryPcap.tcpOffset(into);
            boolean fromServer = StoryPcap.port(into, tcp) == story.serverPort();
            Endpoint target = placement.server();
            int clientPortAt = fromServer ? tcp + 2 : tcp;
            int clientPort = clientPorts.computeIfAbsent(StoryPcap.port(into, clientPortAt),
                    p -> freshPort(placement.client()));
            putPort(into, fromServer ? tcp : tcp + 2, target.port());
            putPort(into, clientPortAt, clientPort);
            System.arraycopy(fromServer ? server : client, 0, into, ip + 12, 4);
            System.arraycopy(fromServer ? client : server, 0, into, ip + 16, 4);
            ipv4Checksum(into, ip);
            return original.length;
        }
    }

    private static void putPort(byte[] frame, int at, int port) {
        frame[at] = (byte) (port >>> 8);
        frame[at + 1] = (byte) port;
    }

    private static void ipv4Checksum(byte[] frame, int ip) {
        int length = (frame[ip] & 0x0F) * 4;
        frame[ip + 10] = 0;
        frame[ip + 11] = 0;
        int sum = 0;
        for (int i = 0; i < length; i += 2) {
            sum += ((frame[ip + i] & 0xFF) << 8) | (frame[ip + i + 1] & 0xFF);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        putPort(frame, ip + 10, ~sum & 0xFFFF);
    }

    private static byte[] address(String ip) {
        try {
            return InetAddress.getByName(ip).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + ip, e);
        }
    }
}
