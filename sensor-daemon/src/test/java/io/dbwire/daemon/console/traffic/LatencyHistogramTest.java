package io.dbwire.daemon.console.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void quantilesAreWithinOneStepAbove() {
        LatencyHistogram h = new LatencyHistogram(4);
        for (int i = 1; i <= 1000; i++) {
            h.add(i * 100L); // 100 µs .. 100 ms, uniform
        }
        assertThat(h.quantile(0.50)).isBetween(50_000L, (long) (50_000 * 1.19));
        assertThat(h.quantile(0.95)).isBetween(95_000L, (long) (95_000 * 1.19));
        assertThat(h.quantile(0.99)).isBetween(99_000L, (long) (99_000 * 1.19));
    }

    @Test
    void emptyAnswersMinusOneAndHugeValuesLandInTheLastBucket() {
        LatencyHistogram h = new LatencyHistogram(1);
        assertThat(h.quantile(0.5)).isEqualTo(-1);
        h.add(Long.MAX_VALUE);
        h.add(0);
        assertThat(h.count()).isEqualTo(2);
        assertThat(h.quantile(0.0)).isEqualTo(1);
        assertThat(h.quantile(1.0)).isGreaterThan(1L << 31);
    }

    @Test
    void mergingAddsCounts() {
        LatencyHistogram a = new LatencyHistogram(2);
        LatencyHistogram b = new LatencyHistogram(2);
        a.add(10);
        b.add(1_000_000);
        a.addAll(b);
        assertThat(a.count()).isEqualTo(2);
        assertThat(a.quantile(1.0)).isGreaterThanOrEqualTo(1_000_000);
    }
}
