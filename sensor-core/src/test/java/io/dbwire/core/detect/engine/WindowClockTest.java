package io.dbwire.core.detect.engine;

import static io.dbwire.core.detect.TestRecords.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowClockTest {
    private static final long MINUTE = 60_000_000L;
    private final List<long[]> closed = new ArrayList<>();
    private final WindowClock.BucketListener listener = (s, e) -> closed.add(new long[] {s, e});

    @Test
    void bucketsAreAlignedOnTheEpochNotOnTheFirstRecord() {
        WindowClock c = new WindowClock(MINUTE, 100);
        c.advance(at(17.5), listener);
        assertThat(c.openBucketStart()).isEqualTo(at(0));
    }

    @Test
    void aBucketClosesOnlyWhenPacketTimeReachesItsEnd() {
        WindowClock c = new WindowClock(MINUTE, 100);
        c.advance(at(10), listener);
        c.advance(at(59.999999), listener);
        assertThat(closed).isEmpty();
        c.advance(at(60), listener);
        assertThat(closed).containsExactly(new long[] {at(0), at(60)});
        c.advance(at(60), listener);
        c.advance(at(30), listener); // time behind does not reopen or close anything
        assertThat(closed).hasSize(1);
    }

    @Test
    void aJumpClosesEveryBucketInOrderUpToTheCatchUpBound() {
        WindowClock c = new WindowClock(MINUTE, 3);
        c.advance(at(0), listener);
        long skipped = c.advance(at(10 * 60 + 5), listener);
        assertThat(closed).extracting(b -> b[0]).containsExactly(at(0), at(60), at(120));
        assertThat(skipped).isEqualTo(7);
        assertThat(c.openBucketStart()).isEqualTo(at(600));
    }

    @Test
    void closeOpenClosesThePartialBucketOnce() {
        WindowClock c = new WindowClock(MINUTE, 3);
        c.closeOpen(listener);
        assertThat(closed).isEmpty();
        c.advance(at(61), listener);
        c.closeOpen(listener);
        assertThat(closed).containsExactly(new long[] {at(60), at(120)});
    }

    @Test
    void learningRunsFromTheFirstRecord() {
        WindowClock c = new WindowClock(MINUTE, 3);
        long hour = 3_600_000_000L;
        assertThat(c.inLearning(at(0), hour)).isTrue();
        c.markRecord(at(100));
        c.markRecord(at(200)); // only the first counts
        assertThat(c.inLearning(at(100 + 3599), hour)).isTrue();
        assertThat(c.inLearning(at(100 + 3600), hour)).isFalse();
        assertThat(WindowClock.learningOver(at(0), at(1), Long.MAX_VALUE)).isFalse(); // no overflow
    }
}
