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

    @Test
    void aSingleValueIsEveryQuantile() {
        LatencySketch s = new LatencySketch(0.95);
        s.add(1_000);
        assertThat(s.trackedQuantile()).isEqualTo(s.quantile(0.01)).isEqualTo(s.quantile(0.95))
                .isGreaterThanOrEqualTo(1_000);
    }
}
