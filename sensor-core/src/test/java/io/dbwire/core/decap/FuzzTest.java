package io.dbwire.core.decap;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Hostile input: random bytes and randomly damaged valid frames, under every link type. The decapsulator must
 * never throw, must count exactly one outcome per frame, and a delivered payload must lie inside the frame.
 * Seeds are fixed; jqwik prints the failing sample.
 */
class FuzzTest {
    private static final byte[][] VALID = {
        FrameBuilder.ipv4Tcp("10.0.0.1", 50000, "10.0.0.2", 5432, "select 1".getBytes()).wrapVxlan(1).build(),
        FrameBuilder.ipv4Tcp("10.0.0.1", 50000, "10.0.0.2", 5432, "x".getBytes()).vlan(0x8100, 5).vlan(0x88A8, 6)
                .build(),
        FrameBuilder.ipv6Tcp("2001:db8::1", 1, "2001:db8::2", 2, new byte[40]).wrapGeneve(9, new byte[16])
                .wrapVxlan(3).build(),
        FrameBuilder.ipv6Tcp("fe80::1", 1, "fe80::2", 2, new byte[3]).build(),
    };

    private final Decapsulator decap = DecapFixtures.decapsulator();
    private final DecodedPacket out = new DecodedPacket();

    @Property(tries = 3000, seed = "20261126")
    void randomBytesNeverThrow(@ForAll("frames") byte[] frame, @ForAll LinkType linkType) {
        check(frame, 0, frame.length, linkType);
    }

    @Property(tries = 3000, seed = "7348")
    void damagedFramesNeverThrow(@ForAll @IntRange(min = 0, max = 3) int which,
            @ForAll("damage") int[] positions, @ForAll byte value, @ForAll @IntRange(min = 0, max = 200) int cut,
            @ForAll LinkType linkType) {
        byte[] frame = VALID[which].clone();
        for (int p : positions) {
            frame[p % frame.length] ^= value == 0 ? 1 : value;
        }
        // An exact-size prefix: a read past the captured end throws instead of reading stale bytes.
        byte[] captured = java.util.Arrays.copyOf(frame, Math.min(frame.length, cut));
        check(captured, 0, captured.length, linkType);
    }

    private void check(byte[] frame, int offset, int length, LinkType linkType) {
        long before = DecapFixtures.frameOutcomes(decap);
        boolean delivered = decap.decode(frame, offset, length, linkType, 1L, out);
        assertThat(DecapFixtures.frameOutcomes(decap)).isEqualTo(before + 1).isEqualTo(decap.frames());
        if (delivered) {
            assertThat(out.payloadOffset).isBetween(offset, offset + length);
            assertThat(out.payloadOffset + out.payloadLength).isLessThanOrEqualTo(offset + length);
            assertThat(out.payloadLength).isNotNegative();
            assertThat(out.payloadMissing).isNotNegative();
            assertThat(out.seq).isBetween(0L, 0xFFFF_FFFFL);
            assertThat(out.vni).isBetween(-1, 0xFF_FFFF);
        }
    }

    @Provide
    Arbitrary<byte[]> frames() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    }

    @Provide
    Arbitrary<int[]> damage() {
        return Arbitraries.integers().between(0, 10_000).array(int[].class).ofMinSize(1).ofMaxSize(4);
    }
}
