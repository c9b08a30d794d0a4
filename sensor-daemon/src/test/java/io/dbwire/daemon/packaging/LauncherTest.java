package io.dbwire.daemon.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * packaging/bin/dbwire's JVM options, read from what it passes to a stand-in for java: the one-shot commands get
 * the serial collector, {@code run} keeps the JDK's default (G1), and a collector the user chose wins; the opt-in
 * class-data archive is written when missing and mapped once it exists.
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("..").toAbsolutePath().normalize().resolve("packaging/bin/dbwire");

    @TempDir
    Path home;

    @Test
    void replayRunsOnTheSerialCollector() throws Exception {
        List<String> args = launch(Map.of(), "replay", "--records", "r.jsonl", "a.pcap");
        assertThat(args).contains("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");
        assertThat(args.subList(args.indexOf("-jar"), args.size()))
                .containsExactly("-jar", home.resolve("lib/dbwire.jar").toString(), "replay", "--records", "r.jsonl",
                        "a.pcap");
    }

    @Test
    void runKeepsTheDefaultCollector() throws Exception {
        assertThat(launch(Map.of(), "run", "--config", "c.yml")).noneMatch(a -> a.matches("-XX:\\+Use.*GC"));
    }

    @Test
    void aCollectorChosenByTheUserReplacesOurs() throws Exception {
        assertThat(launch(Map.of("DBWIRE_JAVA_OPTS", "-XX:+UseParallelGC"), "replay", "a.pcap"))
                .contains("-XX:+UseParallelGC").doesNotContain("-XX:+UseSerialGC");
        // The java launcher reads JDK_JAVA_OPTIONS itself; two collectors would make the JVM refuse to start.
        assertThat(launch(Map.of("JDK_JAVA_OPTIONS", "-Xmx2g -XX:+UseG1GC"), "replay", "a.pcap"))
                .doesNotContain("-XX:+UseSerialGC");
    }

    @Test
    void aClassDataArchiveIsWrittenWhenMissingAndUsedOnceItExists() throws Exception {
        Path archive = home.resolve("dbwire.jsa");
        Map<String, String> env = Map.of("DBWIRE_CDS_ARCHIVE", archive.toString());
        assertThat(launch(env, "replay", "a.pcap"))
                .contains("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off,cds+dynamic=off");
        Files.writeString(archive, "archive");
        assertThat(launch(env, "replay", "a.pcap")).contains("-XX:SharedArchiveFile=" + archive);
        assertThat(launch(env, "run", "--config", "c.yml")).noneMatch(a -> a.contains("SharedArchive")
                || a.contains("ArchiveClasses"));
        assertThat(launch(Map.of(), "replay", "a.pcap")).noneMatch(a -> a.contains("Archive"));
    }

    /** The arguments the launcher hands to java, one per line from a stand-in script. */
    private List<String> launch(Map<String, String> env, String... command) throws IOException, InterruptedException {
        Path out = home.resolve("args.txt");
        Path java = home.resolve("fake-java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '" + out + "'\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> shell = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
        shell.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(shell);
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("DBWIRE_JAVA_OPTS");
        pb.environment().remove("DBWIRE_CDS_ARCHIVE");
        pb.environment().put("DBWIRE_HOME", home.toString());
        pb.environment().put("JAVA", java.toString());
        pb.environment().putAll(env);
        Process p = pb.redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return Files.readAllLines(out);
    }
}
