package io.dbwire.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.TcpConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A request/response conversation whose packets reach the sensor locally shuffled across both directions (two
 * mirror sessions), with duplicates: the listener still sees each request before its response and each response
 * before the next request, every byte once, no gap. Seeded; every assertion names the seed.
 */
class ConversationOrderProperties {
    private static final long T0 = 1_700_000_000_000_000L;

    private record Packet(boolean fromClient, long ts, long seq, long ack, byte[] payload) {}

    @Property(tries = 300, seed = "20261126")
    void locallyShuffledConversationsArriveInConversationOrder(@ForAll long seed) {
        Random r = new Random(seed);
        long clientIsn = r.nextLong() & 0xFFFF_FFFFL;
        long serverIsn = r.nextLong() & 0xFFFF_FFFFL;
        long clientNext = clientIsn + 1;
        long serverNext = serverIsn + 1;
        List<Packet> packets = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        long ts = T0 + 1000;
        int rounds = 1 + r.nextInt(12);
        for (int i = 0; i < rounds; i++) {
            for (boolean fromClient : new boolean[] {true, false}) {
                StringBuilder message = new StringBuilder();
                for (int s = 1 + r.nextInt(3); s > 0; s--) {
                    byte[] payload = new byte[1 + r.nextInt(200)];
                    for (int k = 0; k < payload.length; k++) {
                        payload[k] = (byte) ('a' + r.nextInt(26));
                    }
                    message.append(new String(payload, java.nio.charset.StandardCharsets.US_ASCII));
                    long seq = fromClient ? clientNext : serverNext;
                    packets.add(new Packet(fromClient, ts += 10, seq, fromClient ? serverNext : clientNext, payload));
                    if (fromClient) {
                        clientNext += payload.length;
                    } else {
                        serverNext += payload.length;
                    }
                }
                expected.add((fromClient ? "C:" : "S:") + message);
            }
        }
        // Each packet may move up to 4 places later; a tenth are also sent a second time, a little later.
        List<Packet> arrival = new ArrayList<>(packets);
        for (int i = arrival.size() - 1; i >= 0; i--) {
            int to = Math.min(arrival.size() - 1, i + r.nextInt(5));
            arrival.add(to, arrival.remove(i));
        }
        for (int i = 0; i < packets.size() / 10; i++) {
            Packet p = packets.get(r.nextInt(packets.size()));
            arrival.add(Math.min(arrival.size(), r.nextInt(arrival.size() + 1)), p);
        }

        List<String> events = new ArrayList<>();
        StreamListenerFactory factory = new StreamListenerFactory() {
            @Override
            public StreamListener open(ConnectionInfo c) {
                return new StreamListener() {
                    @Override
                    public void onData(Direction d, byte[] b, int off, int len, long t) {
                        String side = d == Direction.CLIENT_TO_SERVER ? "C:" : "S:";
                        String text = new String(b, off, len, java.nio.charset.StandardCharsets.US_ASCII);
                        int last = events.size() - 1;
                        if (last >= 0 && events.get(last).startsWith(side)) {
                            events.set(last, events.get(last) + text);
                        } else {
                            events.add(side + text);
                        }
                    }

                    @Override
                    public void onGap(Direction d, long missing, long t) {
                        events.add("gap " + missing);
                    }

                    @Override
                    public void onClose(CloseReason reason, long t) {}
                };
            }

            @Override
            public boolean isServerPort(int port) {
                return port == 5432;
            }
        };
        TcpTracker tracker = new TcpTracker(new TcpConfig(16, 1 << 20, 1L << 24, 600_000_000L), factory);
        Wire w = new Wire(tracker, 1, 40_000, 2, 5432);
        w.handshake(T0, clientIsn, serverIsn);
        for (Packet p : arrival) {
            w.send(p.fromClient(), p.ts(), Wire.ACK, p.seq(), p.ack(), p.payload());
        }
        tracker.closeAll(ts + 1_000);
        assertThat(events).as("seed %d %s", seed, tracker.counters().nonZero()).isEqualTo(expected);
        assertThat(tracker.bufferedBytes()).isZero();
    }
}
