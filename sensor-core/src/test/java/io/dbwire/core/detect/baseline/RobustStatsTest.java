package io.dbwire.core.detect.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RobustStatsTest {

    @Test
    void medianAndMadOfOddAndEvenCounts() {
        RobustStats s = new RobustStats(10, 100, 6, 1);
        for (double v : new double[] {1, 2, 3, 4, 100}) {
            s.add(v);
        }
        assertThat(s.median()).isEqualTo(3);
        assertThat(s.mad()).isEqualTo(1); // deviations 2,1,0,1,97 -> median 1
        s.add(5);
        assertThat(s.median()).isEqualTo(3.5); // 1,2,3,4,5,100
    }

    @Test
    void emptyIsZeroAndNotWarm() {
        RobustStats s = new RobustStats(5, 3, 6, 1);
        assertThat(s.median()).isZero();
        assertThat(s.isWarm()).isFalse();
        s.add(1);
        s.add(1);
        assertThat(s.isWarm()).isFalse();
        s.add(1);
        assertThat(s.isWarm()).isTrue();
    }

    @Test
    void outliersDoNotPoisonTheBaseline() {
        long seed = 42;
        Random rnd = new Random(seed);
        RobustStats s = new RobustStats(60, 10, 6, 1);
        for (int i = 0; i < 40; i++) {
            s.add(100 + rnd.nextInt(11) - 5); // 95..105
        }
        double medianBefore = s.median();
        double sigmaBefore = s.sigma();
        assertThat(s.zScore(10_000)).as("seed %d", seed).isGreaterThan(100);
        for (int i = 0; i < 10; i++) {
            s.add(10_000); // a burst of ten wild buckets
        }
        assertThat(s.clipped()).isEqualTo(10);
        // a mean would sit near 2 000 now; the median stays inside the normal 95..105 band, within one sigma
        assertThat(s.median()).isBetween(95.0, 105.0).isCloseTo(medianBefore, within(sigmaBefore));
        assertThat(s.sigma()).isLessThan(sigmaBefore * 2);
        assertThat(s.zScore(10_000)).isGreaterThan(100); // the next burst still stands out
    }

    @Test
    void aLastingLevelShiftIsLearnedDespiteClipping() {
        RobustStats s = new RobustStats(20, 10, 6, 1);
        for (int i = 0; i < 20; i++) {
            s.add(100);
        }
        for (int i = 0; i < 200; i++) {
            s.add(200);
        }
        assertThat(s.median()).isEqualTo(200);
    }

    @Test
    void flatSeriesUsesTheScaleFloor() {
        RobustStats s = new RobustStats(10, 5, 6, 1);
        for (int i = 0; i < 10; i++) {
            s.add(1000);
        }
        assertThat(s.mad()).isZero();
        assertThat(s.sigma()).isEqualTo(50); // 5% of the median beats the absolute floor of 1
        assertThat(s.zScore(1100)).isEqualTo(2);
        RobustStats zeros = new RobustStats(10, 5, 6, 1);
        for (int i = 0; i < 10; i++) {
            zeros.add(0);
        }
        assertThat(zeros.zScore(3)).isEqualTo(3);
    }

    @Test
    void windowForgetsValuesOlderThanCapacity() {
        RobustStats s = new RobustStats(3, 3, 1e9, 1); // clipping effectively off
        for (double v : new double[] {50, 50, 50, 1, 2, 3}) {
            s.add(v);
        }
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.median()).isEqualTo(2);
    }

    @Test
    void onceWarmAWildValueIsStoredClipped() {
        RobustStats s = new RobustStats(3, 3, 6, 1);
        for (double v : new double[] {50, 50, 50, 1}) {
            s.add(v);
        }
        // sigma floor 2.5 (5% of 50), so 1 is stored as 50 - 6 * 2.5 = 35
        assertThat(s.clipped()).isEqualTo(1);
        assertThat(s.median()).isEqualTo(50);
        s.add(1);
        s.add(1);
        assertThat(s.median()).isEqualTo(35);
    }
}
