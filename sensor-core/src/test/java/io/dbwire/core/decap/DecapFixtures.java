package io.dbwire.core.decap;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.DecapConfig;
import java.nio.charset.StandardCharsets;

/** Shared literal fixtures and assertions for the decap tests. */
final class DecapFixtures {
    static final long TS = 1_700_000_000_123_456L;

    /** IPv4 10.0.0.1 -> 10.0.0.2, TCP 50000 -> 5432, seq 0xF0000001, ack 2000, PSH|ACK, payload "hello". */
    static final String[] IPV4_TCP_HELLO = {
        "45",          // version 4, IHL 5 (20 bytes)
        "00",          // DSCP/ECN
        "00 2d",       // total length 45 = 20 IP + 20 TCP + 5 payload
        "12 34",       // identification
        "40 00",       // flags DF, fragment offset 0
        "40",          // TTL 64
        "06",          // protocol TCP
        "00 00",       // header checksum (not verified)
        "0a 00 00 01", // source 10.0.0.1
        "0a 00 00 02", // destination 10.0.0.2
        "c3 50",       // TCP source port 50000
        "15 38",       // destination port 5432
        "f0 00 00 01", // sequence number 4026531841 (high bit set: must stay unsigned)
        "00 00 07 d0", // acknowledgement number 2000
        "50",          // data offset 5 (20 bytes), reserved 0
        "18",          // flags PSH|ACK
        "ff ff",       // window
        "00 00",       // checksum
        "00 00",       // urgent pointer
        "68 65 6c 6c 6f", // payload "hello"
    };

    /** Ethernet II header for IPv4: 02:00:00:00:00:02 <- 02:00:00:00:00:01. */
    static final String[] ETHERNET_IPV4 = {
        "02 00 00 00 00 02", // destination MAC
        "02 00 00 00 00 01", // source MAC
        "08 00",             // EtherType IPv4
    };

    private DecapFixtures() {}

    static Decapsulator decapsulator() {
        return new Decapsulator(DecapConfig.defaults());
    }

    static byte[] join(String[]... parts) {
        int n = 0;
        for (String[] p : parts) {
            n += p.length;
        }
        String[] all = new String[n];
        int i = 0;
        for (String[] p : parts) {
            System.arraycopy(p, 0, all, i, p.length);
            i += p.length;
        }
        return Hex.bytes(all);
    }

    /**
     * Decodes {@code frame[offset, offset + length)} and returns the one outcome it counted, checking that exactly
     * one counter moved by one and that the return value agrees with {@link DecapOutcome#delivered()}.
     */
    static DecapOutcome decodeOne(Decapsulator decap, byte[] frame, int offset, int length, LinkType linkType,
            DecodedPacket out) {
        DecapOutcome[] all = DecapOutcome.values();
        long[] before = new long[all.length];
        for (DecapOutcome o : all) {
            before[o.ordinal()] = decap.counters().get(o);
        }
        boolean delivered = decap.decode(frame, offset, length, linkType, TS, out);
        DecapOutcome counted = null;
        for (DecapOutcome o : all) {
            long delta = decap.counters().get(o) - before[o.ordinal()];
            if (delta != 0) {
                assertThat(counted).as("a second outcome counted: %s", o).isNull();
                assertThat(delta).isEqualTo(1);
                counted = o;
            }
        }
        assertThat(counted).as("an outcome counted").isNotNull();
        assertThat(delivered).as("decode() result for %s", counted).isEqualTo(counted.delivered());
        return counted;
    }

    static DecapOutcome decodeOne(Decapsulator decap, byte[] frame, LinkType linkType, DecodedPacket out) {
        return decodeOne(decap, frame, 0, frame.length, linkType, out);
    }

    static String payload(DecodedPacket p) {
        return new String(p.data, p.payloadOffset, p.payloadLength, StandardCharsets.ISO_8859_1);
    }

    /** The fields of {@link #IPV4_TCP_HELLO}. */
    static void assertHello(DecodedPacket p) {
        assertThat(p.ipVersion).isEqualTo(4);
        assertThat(IpAddresses.format(p.srcHi, p.srcLo)).isEqualTo("10.0.0.1");
        assertThat(IpAddresses.format(p.dstHi, p.dstLo)).isEqualTo("10.0.0.2");
        assertThat(p.srcPort).isEqualTo(50000);
        assertThat(p.dstPort).isEqualTo(5432);
        assertThat(p.seq).isEqualTo(0xF0000001L);
        assertThat(p.ack).isEqualTo(2000L);
        assertThat(p.tcpFlags).isEqualTo(DecodedPacket.PSH | DecodedPacket.ACK);
        assertThat(payload(p)).isEqualTo("hello");
        assertThat(p.payloadMissing).isZero();
        assertThat(p.tsMicros).isEqualTo(TS);
    }

    /** Sum of the per-frame outcomes (datagram events such as fragment timeouts are not frame outcomes). */
    static long frameOutcomes(Decapsulator decap) {
        long sum = 0;
        for (DecapOutcome o : DecapOutcome.values()) {
            if (o.frameOutcome()) {
                sum += decap.counters().get(o);
            }
        }
        return sum;
    }
}
