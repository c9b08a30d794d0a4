package io.dbwire.daemon.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.pipeline.SensorStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayProgressTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final long[] now = {0};
    private final SensorStats stats = new SensorStats(0, 0, 0, 7, 2, Map.of(), Map.of());

    private String err() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** 1024 frames of 84 bytes (+16 header = 100 each) per call: 102400 bytes. */
    private void feed(ReplayProgress p) {
        for (int i = 0; i < 1024; i++) {
            p.onFrame(84, () -> stats);
        }
    }

    @Test
    void aShortReplayPrintsNothing() {
        ReplayProgress p = new ReplayProgress(err, 1_024_000, () -> now[0]);
        now[0] = ReplayProgress.QUIET_NANOS - 1;
        feed(p);
        p.done();
        assertThat(err()).isEmpty();
    }

    @Test
    void aLongReplayRewritesOneLineThenClearsIt() {
        ReplayProgress p = new ReplayProgress(err, 1_024_000, () -> now[0]);
        now[0] = ReplayProgress.QUIET_NANOS;
        feed(p);
        assertThat(err()).isEqualTo("\r\033[Kdbwire replay: 10% packets/s=512 records=7 alerts=2");
        bytes.reset();
        now[0] += 500_000_000L; // within the period: silent
        feed(p);
        assertThat(err()).isEmpty();
        now[0] += 500_000_000L;
        feed(p);
        assertThat(err()).isEqualTo("\r\033[Kdbwire replay: 30% packets/s=2048 records=7 alerts=2");
        bytes.reset();
        p.done();
        assertThat(err()).isEqualTo("\r\033[K");
    }

    @Test
    void anUnknownSizeLeavesThePercentageOut() {
        ReplayProgress p = new ReplayProgress(err, 0, () -> now[0]);
        now[0] = ReplayProgress.QUIET_NANOS;
        feed(p);
        assertThat(err()).isEqualTo("\r\033[Kdbwire replay: packets/s=512 records=7 alerts=2");
    }
}
