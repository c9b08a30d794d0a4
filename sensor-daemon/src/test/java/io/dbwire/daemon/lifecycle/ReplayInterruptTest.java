package io.dbwire.daemon.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.SensorConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A stop request ends reading after the current packet; the sensor still finishes and the summary says so. */
class ReplayInterruptTest {
    private static final Path CAPTURE = Path.of("../testdata/pg-basic-vxlan.pcap");

    @Test
    void aStopRequestEndsTheReplayEarlyAndFinishesTheSensor() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<Object> records = new ArrayList<>();
        ReplaySummary s = Replay.run(SensorConfig.defaults(), List.of(CAPTURE, CAPTURE), r -> {
            records.add(r);
            stop.set(records.size() == 5);
        }, a -> { }, null, new Replay.Extras(null, stop::get, null));

        assertThat(s.interrupted()).isTrue();
        assertThat(s.files()).isEqualTo(1); // the second file was never opened
        assertThat(s.stats().packets()).isBetween(1L, 274L);
        assertThat(s.stats().records()).isEqualTo(records.size()).isBetween(5L, 29L);
        assertThat(s.problems()).doesNotContainKey("source.file_cut_short");
        assertThat(s.format()).contains("dbwire replay: interrupted");
    }

    @Test
    void withoutAStopRequestEveryFileIsRead() throws Exception {
        ReplaySummary s = Replay.run(SensorConfig.defaults(), List.of(CAPTURE), r -> { }, a -> { }, null,
                Replay.Extras.NONE);
        assertThat(s.interrupted()).isFalse();
        assertThat(s.stats().packets()).isEqualTo(275);
        assertThat(s.format()).doesNotContain("interrupted");
    }
}
