package io.dbwire.core.detect.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencySketchTest {

    /** The kept quantile is the walked one after every add, through clears, for skewed and spread latencies. */
    @Test
    void theTrackedQuantileIsAlwaysTheWalkedOne() {
        long seed = 20261206;
        Random random = new Random(seed);
        for (double q : new double[] {0.5, 0.95, 0.99, 1.0}) {
            LatencySketch s = new LatencySketch(q);
            assertThat(s.trackedQuantile()).isEqualTo(s.quantile(q)).isZero();
            for (int i = 0; i < 200_000; i++) {
                if (random.nextInt(5_000) == 0) {
                    s.clear();
                }
                // mostly fast, a few slow runs, now and then a value in the last (open) bin
                long us = switch (random.nextInt(10)) {
                    case 0 -> (long) (random.nextDouble() * 60_000_000L);
                    case 1, 2 -> 50_000 + random.nextInt(500_000);
                    default -> random.nextInt(3_000);
                };
                s.add(us);
                assertThat(s.trackedQuantile()).as("seed %d, q %s, add %d of %d µs", seed, q, i, us)
                        .isEqualTo(s.quantile(q));
            }
        }
    }

    /** The bin read from the table of first values is the one the logarithm defines, for every kind of value. */
    @Test
    void theBinIsTheLogarithmsBin() {
        for (long us = -3; us <= 1 << 21; us++) {
            assertThat(LatencySketch.bin(us)).as("%d µs", us).isEqualTo(LatencySketch.binByLog(us));
        }
        long seed = 20261207;
        Random random = new Random(seed);
        for (int i = 0; i < 1_000_000; i++) {
            long us = random.nextLong() >>> random.nextInt(64); // every magnitude, up to Long.MAX_VALUE
            assertThat(LatencySketch.bin(us)).as("seed %d, %d µs", seed, us).isEqualTo(LatencySketch.binByLog(us));
        }
        for (long p = 1; p > 0 && p < Long.MAX_VALUE / 2; p <<= 1) { // around each power of two and of √2
            for (long us : new long[] {p - 1, p, p + 1, (long) (p * Math.sqrt(2)) - 1, (long) (p * Math.sqrt(2)),
                    (long) (p * Math.sqrt(2)) + 1}) {
                assertThat(LatencySketch.bin(us)).as("%d µs", us).isEqualTo(LatencySketch.binByLog(us));
            }
        }
        assertThat(LatencySketch.bin(Long.MAX_VALUE)).isEqualTo(LatencySketch.BINS - 1);
        assertThat(LatencySketch.bin(Long.MIN_VALUE)).isZero();
    }

    @Test
    void aSingleValueIsEveryQuantile() {
        LatencySketch s = new LatencySketch(0.95);
        s.add(1_000);
        assertThat(s.trackedQuantile()).isEqualTo(s.quantile(0.01)).isEqualTo(s.quantile(0.95))
                .isGreaterThanOrEqualTo(1_000);
    }
}
