package io.dbwire.daemon.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.record.Endpoint;
import io.dbwire.daemon.health.SilenceWatch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mirror_silence of servers on packet time in a replay: the capture's own pauses, never its end. */
class ReplayServerSilenceTest {
    private static final Path CAPTURE = Path.of("../testdata/pg-basic-vxlan.pcap");

    @TempDir
    Path dir;

    private List<Alert> silences(SilenceWatch.Settings settings) throws Exception {
        List<Alert> alerts = new ArrayList<>();
        ReplaySummary s = Replay.run(SensorConfig.defaults(), List.of(twiceTenSecondsApart()), r -> { }, alerts::add,
                null,
                new Replay.Extras(null, () -> false, new SilenceWatch(settings)));
        List<Alert> silences = alerts.stream().filter(a -> a.detection().equals("mirror_silence")).toList();
        assertThat(s.stats().alerts()).isEqualTo(alerts.size()); // counted in the summary too
        return silences;
    }

    @Test
    void withTheDefaultsAShortCaptureRaisesNoSilence() throws Exception {
        assertThat(silences(new SilenceWatch.Settings(60_000_000L, 5, 600_000_000L, 10))).isEmpty();
    }

    @Test
    void aPauseLongerThanTheThresholdIsASilenceOfTheServer() throws Exception {
        // The capture lasts 0.6 s with a record every 40 ms or so; its copy starts 10 s later.
        List<Alert> silences = silences(new SilenceWatch.Settings(1_000_000L, 5, 0, 10));
        assertThat(silences).singleElement().satisfies(a -> {
            assertThat(a.server()).isEqualTo(new Endpoint("127.0.0.1", 5432));
            assertThat(a.windowEndMicros() - a.windowStartMicros()).isBetween(9_000_000L, 10_000_000L);
        });
    }

    /** The bundled capture, then the same packets again 10 s later (a classic pcap: ts_sec at record offset 0). */
    private Path twiceTenSecondsApart() throws Exception {
        byte[] b = Files.readAllBytes(CAPTURE);
        ByteBuffer in = ByteBuffer.wrap(b);
        in.order(in.getInt(0) == 0xA1B2C3D4 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        byte[] copy = java.util.Arrays.copyOfRange(b, 24, b.length);
        ByteBuffer shifted = ByteBuffer.wrap(copy).order(in.order());
        for (int pos = 0; pos + 16 <= copy.length; pos += 16 + shifted.getInt(pos + 8)) {
            shifted.putInt(pos, shifted.getInt(pos) + 10);
        }
        Path out = dir.resolve("twice.pcap");
        Files.write(out, b);
        Files.write(out, copy, java.nio.file.StandardOpenOption.APPEND);
        return out;
    }
}
