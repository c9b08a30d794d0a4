package io.dbwire.core.decap;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.DecapConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random TCP payloads cut into random fragments (multiples of 8 but the last), sent in a random order with
 * duplicates and consistent overlapping re-cuts: exactly one frame delivers the segment, and its bytes are the
 * original ones. Structure comes from a {@link Random} seeded by the fixed-seed property input.
 */
class FragmentProperties {
    @Property(tries = 300, seed = "20261126")
    void anyOrderWithDuplicatesAndOverlapsReassemblesExactlyOnce(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] payload = new byte[1 + r.nextInt(3000)];
        r.nextBytes(payload);
        boolean v6 = r.nextBoolean();
        byte[] tcp = FrameBuilder.tcp(40000, 5432, r.nextLong() & 0xFFFF_FFFFL, 1, FrameBuilder.DEFAULT_FLAGS,
                new byte[0], payload);
        byte[] packet = v6 ? FrameBuilder.ipv6("2001:db8::1", "2001:db8::2", 6, tcp)
                : FrameBuilder.ipv4("10.1.0.1", "10.1.0.2", 6, tcp);
        int ipPayload = tcp.length;
        List<byte[]> sends = new ArrayList<>();
        for (int round = 0; round < 1 + r.nextInt(3); round++) { // each round: a fresh cut of the same datagram
            List<Integer> cuts = new ArrayList<>();
            // The first cut always falls inside (the TCP header alone is 20 bytes), so every send is a fragment.
            for (int at = 8 * (1 + r.nextInt(Math.min(40, (ipPayload - 1) / 8))); at < ipPayload;
                    at += 8 * (1 + r.nextInt(40))) {
                cuts.add(at);
            }
            int[] c = cuts.stream().mapToInt(Integer::intValue).toArray();
            sends.addAll(v6 ? Fragments.ipv6(packet, seed & 0xFFFF_FFFFL, c) : Fragments.ipv4(packet, (int) seed & 0xFFFF, c));
        }
        for (int i = sends.size() / 3; i > 0; i--) {
            sends.add(sends.get(r.nextInt(sends.size())));
        }
        Collections.shuffle(sends, r);

        Decapsulator decap = new Decapsulator(DecapConfig.defaults());
        DecodedPacket out = new DecodedPacket();
        int delivered = 0;
        for (byte[] ip : sends) {
            byte[] frame = FrameBuilder.ethernet(v6 ? FrameBuilder.ETHERTYPE_IPV6 : FrameBuilder.ETHERTYPE_IPV4, ip);
            if (decap.decode(frame, 0, frame.length, LinkType.ETHERNET, 1_000_000L, out)) {
                delivered++;
                byte[] got = Arrays.copyOfRange(out.data, out.payloadOffset, out.payloadOffset + out.payloadLength);
                assertThat(got).as("seed %d", seed).isEqualTo(payload);
            }
        }
        assertThat(delivered).as("seed %d", seed).isEqualTo(1);
        assertThat(decap.counters().get(DecapOutcome.FRAGMENT_OVERLAP_CONFLICT)).isZero();
        assertThat(decap.counters().get(DecapOutcome.FRAGMENT_INVALID)).isZero();
    }
}
