package io.dbwire.daemon.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbwire.core.decap.LinkType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;

/**
 * The pure-Java reader against libpcap (through pcap4j, as replay read files before) on real captures: the
 * bundled ones, and the same traffic rewritten by Wireshark's editcap/mergecap as nanosecond pcap, pcapng, and a
 * pcapng with two interfaces of different time resolutions. Every frame, its link type and its time must agree.
 */
class CaptureReaderMatchesLibpcapTest {
    private static final Path TESTDATA = Path.of("..", "testdata");

    @TempDir
    Path dir;

    private record Seen(String bytes, LinkType linkType, long tsMicros) {}

    @Test
    void bundledEthernetCapture() throws Exception {
        assertSameAsLibpcap(TESTDATA.resolve("pg-basic.pcap"), 275);
    }

    @Test
    void bundledVxlanCapture() throws Exception {
        assertSameAsLibpcap(TESTDATA.resolve("pg-basic-vxlan.pcap"), 275);
    }

    @Test
    void nanosecondPcapFromEditcap() throws Exception {
        Path ns = dir.resolve("ns.pcap");
        wireshark("editcap", "-F", "nsecpcap", TESTDATA.resolve("pg-basic.pcap").toString(), ns.toString());
        assertSameAsLibpcap(ns, 275);
    }

    @Test
    void pcapngFromEditcap() throws Exception {
        Path ng = dir.resolve("a.pcapng");
        wireshark("editcap", "-F", "pcapng", TESTDATA.resolve("pg-basic-vxlan.pcap").toString(), ng.toString());
        assertSameAsLibpcap(ng, 275);
    }

    @Test
    void pcapngWithTwoInterfacesFromMergecap() throws Exception {
        Path ns = dir.resolve("ns.pcap");
        wireshark("editcap", "-F", "nsecpcap", TESTDATA.resolve("pg-basic-vxlan.pcap").toString(), ns.toString());
        Path merged = dir.resolve("merged.pcapng");
        wireshark("mergecap", "-F", "pcapng", "-w", merged.toString(), TESTDATA.resolve("pg-basic.pcap").toString(),
                ns.toString());
        // libpcap refuses a pcapng whose interfaces differ; the merge must give both inputs' packets, interleaved.
        List<Seen> ours = new ArrayList<>();
        PcapFileResult r = PcapFileSource.read(merged, (f, off, len, lt, ts) ->
                ours.add(new Seen(HexFormat.of().formatHex(f, off, off + len), lt, ts)));
        assertThat(r).isEqualTo(new PcapFileResult(550, null));
        List<Seen> both = new ArrayList<>(libpcap(TESTDATA.resolve("pg-basic.pcap")));
        both.addAll(libpcap(ns));
        assertThat(ours).containsExactlyInAnyOrderElementsOf(both);
        assertThat(ours).extracting(Seen::tsMicros).isSorted();
    }

    private static void assertSameAsLibpcap(Path file, int packets) throws Exception {
        List<Seen> ours = new ArrayList<>();
        PcapFileResult r = PcapFileSource.read(file, (f, off, len, lt, ts) ->
                ours.add(new Seen(HexFormat.of().formatHex(f, off, off + len), lt, ts)));
        assertThat(r.packets()).isEqualTo(packets);
        assertThat(r.readError()).isNull();
        List<Seen> libpcap = libpcap(file);
        assertThat(ours).hasSize(libpcap.size());
        for (int i = 0; i < ours.size(); i++) {
            assertThat(ours.get(i)).as("%s packet %d", file.getFileName(), i + 1).isEqualTo(libpcap.get(i));
        }
    }

    private static List<Seen> libpcap(Path file) throws Exception {
        List<Seen> seen = new ArrayList<>();
        PcapHandle handle = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO);
        try {
            LinkType linkType = Dlt.toLinkType(handle.getDlt().value());
            handle.loop(-1, (byte[] frame) -> seen.add(new Seen(HexFormat.of().formatHex(frame), linkType,
                    PcapFileSource.toMicros(handle.getTimestamp()))));
        } finally {
            handle.close();
        }
        return seen;
    }

    /** editcap and mergecap come with Debian's wireshark-common (installed by .ci/run). */
    private static void wireshark(String... command) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin", command[0])), command[0] + " (wireshark-common) missing");
        Process p = new ProcessBuilder(Arrays.asList(command)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
    }
}
