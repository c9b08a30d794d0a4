package io.dbwire.core.decap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A VXLAN-wrapped TCP frame cut at every byte offset. Each cut is decoded from an exact-size copy (any read past
 * the end would throw) and from inside a larger buffer padded with junk (any read past {@code offset + length}
 * would change the result).
 *
 * <pre>
 *   0  outer Ethernet   14  outer IPv4   34  UDP   42  VXLAN   50  inner Ethernet
 *  64  inner IPv4       84  TCP         104  payload "hello"  109  end
 * </pre>
 */
class TruncationTest {
    private static final byte[] FRAME = FrameBuilder.ipv4Tcp("10.0.0.1", 50000, "10.0.0.2", 5432, "hello".getBytes())
            .wrapVxlan(4242).build();

    private static DecapOutcome expectedAt(int cut) {
        if (cut < 14) {
            return DecapOutcome.LINK_TRUNCATED;
        } else if (cut < 34) {
            return DecapOutcome.IPV4_TRUNCATED;
        } else if (cut < 42) {
            return DecapOutcome.UDP_TRUNCATED;
        } else if (cut < 50) {
            return DecapOutcome.VXLAN_TRUNCATED;
        } else if (cut < 64) {
            return DecapOutcome.LINK_TRUNCATED;
        } else if (cut < 84) {
            return DecapOutcome.IPV4_TRUNCATED;
        } else if (cut < 104) {
            return DecapOutcome.TCP_TRUNCATED;
        } else if (cut < 109) {
            return DecapOutcome.TRUNCATED_PAYLOAD;
        }
        return DecapOutcome.TCP;
    }

    @Test
    void everyCutHasItsCountedOutcome() {
        assertThat(FRAME).hasSize(109);
        Decapsulator decap = DecapFixtures.decapsulator();
        DecodedPacket out = new DecodedPacket();
        long fed = 0;
        for (int cut = 0; cut <= FRAME.length; cut++) {
            byte[] exact = Arrays.copyOf(FRAME, cut);
            DecapOutcome outcome = DecapFixtures.decodeOne(decap, exact, LinkType.ETHERNET, out);
            fed++;
            assertThat(outcome).as("cut at %d", cut).isEqualTo(expectedAt(cut));
            if (outcome.delivered()) {
                assertThat(out.payloadOffset).isEqualTo(104);
                assertThat(out.payloadLength).as("captured payload at cut %d", cut).isEqualTo(cut - 104);
                assertThat(out.payloadMissing).as("missing payload at cut %d", cut).isEqualTo(109 - cut);
                assertThat(out.vni).isEqualTo(4242);
            }

            byte[] padded = new byte[cut + 16];
            Arrays.fill(padded, (byte) 0xEE);
            System.arraycopy(FRAME, 0, padded, 7, cut);
            assertThat(DecapFixtures.decodeOne(decap, padded, 7, cut, LinkType.ETHERNET, out))
                    .as("cut at %d inside a larger buffer", cut).isEqualTo(outcome);
            fed++;
            if (outcome.delivered()) {
                assertThat(out.payloadOffset).isEqualTo(7 + 104);
                assertThat(out.payloadLength + out.payloadMissing).isEqualTo(5);
            }
        }
        assertThat(DecapFixtures.frameOutcomes(decap)).isEqualTo(fed);
        assertThat(decap.counters().get(DecapOutcome.TRUNCATED_PAYLOAD)).isEqualTo(2 * 5);
        assertThat(decap.missingPayloadBytes()).isEqualTo(2 * (5 + 4 + 3 + 2 + 1));
    }

    @Test
    void everyCutOfTheListenerPayload() {
        byte[] datagram = FrameBuilder.ipv4Tcp("10.0.0.1", 50000, "10.0.0.2", 5432, "hello".getBytes())
                .wrapGeneve(7, new byte[12]).tunnelPayload();
        Decapsulator decap = DecapFixtures.decapsulator();
        DecodedPacket out = new DecodedPacket();
        for (int cut = 0; cut <= datagram.length; cut++) {
            DecapOutcome outcome = DecapFixtures.decodeOne(decap, Arrays.copyOf(datagram, cut),
                    LinkType.GENEVE_PAYLOAD, out);
            assertThat(outcome.delivered()).as("cut at %d: %s", cut, outcome).isEqualTo(cut >= datagram.length - 5);
        }
        assertThat(DecapFixtures.frameOutcomes(decap)).isEqualTo(datagram.length + 1);
    }
}
