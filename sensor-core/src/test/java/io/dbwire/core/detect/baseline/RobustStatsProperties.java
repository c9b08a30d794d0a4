package io.dbwire.core.detect.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class RobustStatsProperties {

    /**
     * However large and wherever in the stream they fall, outliers that are fewer than half the window leave the
     * median among the normal values.
     */
    @Property(tries = 200, seed = "20260101")
    void aMinorityOfOutliersNeverMovesTheMedianOutOfTheNormalBand(
            @ForAll @LongRange(min = 0, max = 1_000_000) long seed,
            @ForAll @IntRange(min = 0, max = 29) int outliers,
            @ForAll @IntRange(min = 1, max = 1_000_000_000) int magnitude) {
        Random rnd = new Random(seed);
        RobustStats s = new RobustStats(60, 10, 6, 1);
        int outliersLeft = outliers;
        for (int i = 0; i < 60; i++) {
            boolean wild = outliersLeft > 0 && rnd.nextInt(60 - i) < outliersLeft;
            if (wild) {
                outliersLeft--;
                s.add(1000.0 + (rnd.nextBoolean() ? magnitude : -magnitude));
            } else {
                s.add(1000 + rnd.nextInt(41) - 20); // 980..1020
            }
        }
        assertThat(s.median()).isBetween(980.0 - 1e-9, 1020.0 + 1e-9);
    }
}
