package io.dbwire.daemon.source;

import static io.dbwire.daemon.source.PcapFixtures.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbwire.core.decap.LinkType;
import io.dbwire.daemon.source.PcapFixtures.Packet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapFileSourceTest {
    /** 2023-11-14T22:13:20Z. */
    private static final long T0 = 1_700_000_000L;

    @TempDir
    Path dir;

    private record Seen(byte[] data, LinkType linkType, long tsMicros) {}

    private final List<Seen> seen = new ArrayList<>();
    private final FrameConsumer recorder =
            (f, off, len, lt, ts) -> seen.add(new Seen(Arrays.copyOfRange(f, off, off + len), lt, ts));

    @Test
    void microsecondPcapGivesEveryPacketInOrderWithItsTime() throws Exception {
        Path f = PcapFixtures.pcap(dir.resolve("a.pcap"), PcapFixtures.LINKTYPE_ETHERNET, false, List.of(
                new Packet(T0, 123_456, frame(0, 60)),
                new Packet(T0 + 1, 0, frame(1, 1514)),
                new Packet(T0 + 1, 999_999, frame(2, 42))));

        PcapFileResult r = PcapFileSource.read(f, recorder);

        assertThat(r).isEqualTo(new PcapFileResult(3, null, 1)); // Ethernet
        assertThat(seen).extracting(s -> s.data().length).containsExactly(60, 1514, 42);
        assertThat(seen).extracting(s -> (int) s.data()[0]).containsExactly(0, 1, 2);
        assertThat(seen).extracting(Seen::linkType).containsOnly(LinkType.ETHERNET);
        assertThat(seen).extracting(Seen::tsMicros)
                .containsExactly(T0 * 1_000_000 + 123_456, (T0 + 1) * 1_000_000, (T0 + 1) * 1_000_000 + 999_999);
    }

    @Test
    void nanosecondPcapIsCutToMicroseconds() throws Exception {
        Path f = PcapFixtures.pcap(dir.resolve("ns.pcap"), PcapFixtures.LINKTYPE_RAW, true, List.of(
                new Packet(T0, 123_456_789, frame(0, 40))));

        PcapFileSource.read(f, recorder);

        assertThat(seen).singleElement().satisfies(s -> {
            // The file's own LINKTYPE_RAW (101): the Java reader keeps it, where libpcap would say DLT_RAW 12.
            assertThat(s.linkType()).isEqualTo(LinkType.RAW);
            assertThat(s.tsMicros()).isEqualTo(T0 * 1_000_000 + 123_456);
        });
    }

    @Test
    void pcapngIsReadToo() throws Exception {
        Path f = PcapFixtures.pcapngNanos(dir.resolve("a.pcapng"), List.of(
                new Packet(T0, 5_000, frame(0, 61)), new Packet(T0 + 2, 7_654_321, frame(1, 64))));

        PcapFileResult r = PcapFileSource.read(f, recorder);

        assertThat(r.packets()).isEqualTo(2);
        assertThat(seen).extracting(s -> s.data().length).containsExactly(61, 64);
        assertThat(seen).extracting(Seen::linkType).containsOnly(LinkType.ETHERNET);
        assertThat(seen).extracting(Seen::tsMicros).containsExactly(T0 * 1_000_000 + 5, (T0 + 2) * 1_000_000 + 7_654);
    }

    @Test
    void aFileCutInsideItsLastRecordKeepsTheRecordsBefore() throws Exception {
        Path whole = PcapFixtures.pcap(dir.resolve("whole.pcap"), PcapFixtures.LINKTYPE_ETHERNET, false, List.of(
                new Packet(T0, 0, frame(0, 60)), new Packet(T0, 1, frame(1, 60))));
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.pcap"), Arrays.copyOf(bytes, bytes.length - 10));

        PcapFileResult r = PcapFileSource.read(cut, recorder);

        assertThat(r.packets()).isEqualTo(1);
        assertThat(r.readError()).isNotNull();
        assertThat(seen).hasSize(1);
    }

    @Test
    void emptyCaptureIsZeroPackets() throws Exception {
        Path f = PcapFixtures.pcap(dir.resolve("empty.pcap"), PcapFixtures.LINKTYPE_ETHERNET, false, List.of());
        assertThat(PcapFileSource.read(f, recorder)).isEqualTo(new PcapFileResult(0, null, 1));
    }

    @Test
    void missingAndNonCaptureFilesAreSourceErrors() throws Exception {
        assertThatThrownBy(() -> PcapFileSource.read(dir.resolve("nope.pcap"), recorder))
                .isInstanceOf(SourceException.class)
                .hasMessageEndingWith("nope.pcap: no such file");
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a capture, just some text long enough\n");
        assertThatThrownBy(() -> PcapFileSource.read(text, recorder))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("notes.txt: not a pcap or pcapng file");
        assertThatThrownBy(() -> PcapFileSource.read(dir, recorder))
                .hasMessageContaining("not a readable file");
        assertThat(seen).isEmpty();
    }
}
