package io.dbwire.daemon.lifecycle;

import static io.dbwire.daemon.source.PcapFixtures.frame;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.decap.LinkType;
import io.dbwire.daemon.source.PcapFixtures;
import io.dbwire.daemon.source.PcapFixtures.Packet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimestampGuardTest {
    private static final long T = 1_764_547_200L; // 2025-12-01T00:00:00Z

    @TempDir
    Path dir;

    @Test
    void impossibleAndBackwardTimesAreCountedAndProcessedAtTheLatestGoodTime() {
        List<Long> seen = new ArrayList<>();
        TimestampGuard guard = new TimestampGuard((f, o, l, type, ts) -> seen.add(ts));
        byte[] f = new byte[1];
        guard.onFrame(f, 0, 1, LinkType.ETHERNET, -5L);                       // before 1970, no good time yet
        guard.onFrame(f, 0, 1, LinkType.ETHERNET, T * 1_000_000L);             // good
        guard.onFrame(f, 0, 1, LinkType.ETHERNET, T * 1_000_000L + 10);        // good
        guard.onFrame(f, 0, 1, LinkType.ETHERNET, 5_000_000_000L * 1_000_000L); // year 2128
        guard.onFrame(f, 0, 1, LinkType.ETHERNET, (T - 3_600) * 1_000_000L);  // an hour back
        guard.onFrame(f, 0, 1, LinkType.ETHERNET, T * 1_000_000L - 1_000);     // reordered by 1 ms: normal
        guard.onFrame(f, 0, 1, LinkType.ETHERNET, T * 1_000_000L + 20);        // good

        long t = T * 1_000_000L;
        assertThat(seen).containsExactly(t, t + 10, t + 10, t + 10, t - 1_000, t + 20);
        assertThat(guard.outOfRange()).isEqualTo(2);
        assertThat(guard.backwards()).isEqualTo(1);
    }

    @Test
    void replayCountsThemInTheProblemsLine() throws Exception {
        Path pcap = PcapFixtures.pcap(dir.resolve("times.pcap"), PcapFixtures.LINKTYPE_ETHERNET, false, List.of(
                new Packet(T, 0, frame(0, 60)),
                new Packet(0xFFFF_FFF0L, 0, frame(1, 60)), // 2106: past 2100
                new Packet(T - 86_400, 0, frame(2, 60)),   // a day back
                new Packet(T + 1, 0, frame(3, 60))));
        ReplaySummary s = Replay.run(SensorConfig.defaults(), List.of(pcap), r -> { }, a -> { });
        assertThat(s.stats().packets()).isEqualTo(4);
        assertThat(s.problems()).containsEntry("source.timestamp_out_of_range", 1L)
                .containsEntry("source.timestamp_backwards", 1L);
        assertThat(s.format()).contains("source.timestamp_backwards=1", "source.timestamp_out_of_range=1");
    }
}
