package io.dbwire.daemon.cli;

import static io.dbwire.daemon.source.PcapFixtures.frame;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.daemon.source.PcapFixtures;
import io.dbwire.daemon.source.PcapFixtures.Packet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DbwireCliTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return DbwireCli.execute(
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path threePackets() throws Exception {
        return PcapFixtures.pcap(dir.resolve("three.pcap"), PcapFixtures.LINKTYPE_ETHERNET, false, List.of(
                new Packet(1_700_000_000L, 1, frame(0, 60)),
                new Packet(1_700_000_000L, 2, frame(1, 70)),
                new Packet(1_700_000_000L, 3, frame(2, 80))));
    }

    @Test
    void noArgumentsIsAUsageErrorWithUsage() {
        assertThat(run()).isEqualTo(2);
        assertThat(err()).startsWith("dbwire: missing command").contains("Usage: dbwire").contains("replay", "run");
        assertThat(out()).isEmpty();
    }

    @Test
    void replayOfAMissingFileIsOneLineAndExit2() {
        assertThat(run("replay", dir.resolve("nope.pcap").toString())).isEqualTo(2);
        assertThat(err()).isEqualTo("dbwire: " + dir.resolve("nope.pcap") + ": no such file" + System.lineSeparator());
    }

    @Test
    void replayOfANonCaptureFileIsOneLineAndExit2() throws Exception {
        Path text = Files.writeString(dir.resolve("x.txt"), "this is not a capture file, only some words\n");
        assertThat(run("replay", text.toString())).isEqualTo(2);
        assertThat(err()).startsWith("dbwire: " + text + ": not a pcap or pcapng file").doesNotContain("\tat ");
        assertThat(err().lines()).hasSize(1);
    }

    @Test
    void badArgumentsAreOneLineAndExit2() {
        assertThat(run("replay", "--bogus", "x.pcap")).isEqualTo(2);
        assertThat(err()).isEqualTo("dbwire: Unknown option: '--bogus'" + System.lineSeparator());
    }

    @Test
    void replayWithoutFilesIsExit2() {
        assertThat(run("replay")).isEqualTo(2);
        assertThat(err()).startsWith("dbwire: Missing required parameter: 'PCAP");
    }

    @Test
    void badConfigIsOneLineNamingTheKey() throws Exception {
        Path cfg = Files.writeString(dir.resolve("bad.yml"), "tcp:\n  max_flows: -3\n");
        assertThat(run("replay", "--config", cfg.toString(), threePackets().toString())).isEqualTo(2);
        assertThat(err()).isEqualTo(
                "dbwire: config: tcp.max_flows: -3 (expected: a positive integer)" + System.lineSeparator());
    }

    @Test
    void replaySummarisesOnStderrAndSaysWhenAFileGaveNothing() throws Exception {
        Path file = threePackets();
        // The fixture's frames carry an 802.3 length where the EtherType belongs: counted, not decoded — and as
        // not one frame of the file reached IP, replay says so in one line and exits 2.
        assertThat(run("replay", file.toString())).isEqualTo(2);
        assertThat(err()).contains("files=1 packets=3 bytes=210 ").contains("problems: decap.not_ethernet_ii=3")
                .contains("dbwire: " + file + ": nothing read: no IPv4 or IPv6 packet in 3 packets "
                        + "(link type 1 ethernet: not_ethernet_ii=3)");
        assertThat(out()).isEmpty();
    }

    @Test
    void replayOfTheBundledCapturePrintsRecordsAndTheBruteforceAlert() {
        assertThat(run("replay", "../testdata/pg-basic-vxlan.pcap")).isEqualTo(0);
        List<String> lines = out().lines().toList();
        long records = lines.stream().filter(l -> l.contains("\"kind\":")).count();
        List<String> alerts = lines.stream().filter(l -> l.contains("\"detection\":")).toList();
        assertThat(records).isEqualTo(30);
        assertThat(alerts).isNotEmpty().allSatisfy(a -> assertThat(a).contains("\"detection\":\"auth_bruteforce\""));
        assertThat(err()).contains("records=30 ").contains("problems: none");
    }

    @Test
    void replayReadsSeveralFilesAndWritesRecordsToAFile() throws Exception {
        Path a = threePackets();
        Path b = PcapFixtures.pcapngNanos(dir.resolve("b.pcapng"), List.of(new Packet(1_700_000_001L, 0, frame(3, 90))));
        Path records = dir.resolve("records.jsonl");
        // Exit 2: neither file's frames reach IP (see replaySummarisesOnStderrAndSaysWhenAFileGaveNothing).
        assertThat(run("replay", "--records", records.toString(), "--alerts", "-", a.toString(), b.toString()))
                .isEqualTo(2);
        assertThat(err()).contains("files=2 packets=4 bytes=300 ");
        assertThat(records).exists();
    }

    @Test
    void anUnknownCommandIsNamedAndExit2EvenWithHelp() {
        assertThat(run("frobnicate", "--help")).isEqualTo(2);
        assertThat(err()).isEqualTo(
                "dbwire: unknown command 'frobnicate' (expected: one of replay, run, bench, detect, allowlist, baselines)" + System.lineSeparator());
        assertThat(out()).isEmpty();
    }

    @Test
    void versionNamesTheVersionAndTheCommit() {
        assertThat(run("--version")).isEqualTo(0);
        // Built from this git checkout: the commit is a hex id, not "unknown".
        assertThat(out().lines().findFirst().orElse(""))
                .matches("dbwire \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit [0-9a-f]{7,40}(-dirty)?\\)");
    }

    @Test
    void failOnProblemsExits3WhenProblemsWereCounted() throws Exception {
        // The bundled capture with its last record cut short: every packet before it still decodes.
        byte[] whole = java.nio.file.Files.readAllBytes(Path.of("../testdata/pg-basic-vxlan.pcap"));
        Path cut = java.nio.file.Files.write(dir.resolve("cut.pcap"), java.util.Arrays.copyOf(whole, whole.length - 10));
        assertThat(run("replay", "--fail-on-problems", cut.toString())).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(err()).contains("source.file_cut_short=1");
        err.reset();
        assertThat(run("replay", "--fail-on-problems", "../testdata/pg-basic-vxlan.pcap")).isEqualTo(0);
        assertThat(err()).contains("problems: none");
    }

    @Test
    void progressIsOffWhenStderrIsNoTerminal() {
        assertThat(run("replay", "../testdata/pg-basic-vxlan.pcap")).isEqualTo(0);
        assertThat(err()).doesNotContain("\r").startsWith("dbwire replay: files=1");
        err.reset();
        assertThat(run("replay", "--progress", "never", "../testdata/pg-basic-vxlan.pcap")).isEqualTo(0);
        assertThat(run("replay", "--progress", "sometimes", "x.pcap")).isEqualTo(2);
    }

    @Test
    void versionAndHelpExit0() {
        assertThat(run("--version")).isEqualTo(0);
        assertThat(out()).startsWith("dbwire ");
        out.reset();
        assertThat(run("--help")).isEqualTo(0);
        assertThat(out()).contains("Usage: dbwire");
        out.reset();
        assertThat(run("replay", "--help")).isEqualTo(0);
        assertThat(out()).contains("--records", "--alerts", "--config");
    }
}
