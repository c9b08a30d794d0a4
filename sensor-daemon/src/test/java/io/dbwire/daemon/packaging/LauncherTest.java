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
 * class-data archive is written when missing and mapped once it exists; the JDK is the one the operator names, and
 * only on JDK 25 and later come compact object headers and the AOT cache (read from a stand-in JDK's release file,
 * or from its {@code -version} when it has none).
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

    @Test
    void onJdk17NeitherCompactHeadersNorTheAotCacheEvenWhenTheCacheExists() throws Exception {
        Files.createDirectories(home.resolve("lib"));
        Files.writeString(home.resolve("lib/dbwire.aot"), "cache");
        Map<String, String> env = Map.of("DBWIRE_JAVA", fakeJdk("jdk17", "17.0.21.1", true).toString());
        assertThat(launch(env, "replay", "a.pcap")).contains("-XX:+UseSerialGC")
                .noneMatch(a -> a.contains("CompactObjectHeaders") || a.contains("AOT") || a.startsWith("--"));
        // the class-data archive stays the JDK 17 way to a faster start
        Map<String, String> cds = Map.of("DBWIRE_JAVA", env.get("DBWIRE_JAVA"), "DBWIRE_CDS_ARCHIVE",
                home.resolve("dbwire.jsa").toString());
        assertThat(launch(cds, "replay", "a.pcap")).anyMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit="));
    }

    @Test
    void onJdk25CompactHeadersAlwaysAndTheAotCacheOnceItExists() throws Exception {
        Map<String, String> env = Map.of("DBWIRE_JAVA", fakeJdk("jdk25", "25.0.3", true).toString());
        assertThat(launch(env, "replay", "a.pcap")).contains("-XX:+UseCompactObjectHeaders", "-XX:+UseSerialGC",
                "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED")
                .noneMatch(a -> a.contains("AOTCache"));
        Path cache = home.resolve("lib/dbwire.aot");
        Files.createDirectories(cache.getParent());
        Files.writeString(cache, "cache");
        assertThat(launch(env, "replay", "a.pcap")).contains("-XX:AOTCache=" + cache, "-Xlog:aot=off");
        // run too: classes and profiles help its start; it keeps G1
        assertThat(launch(env, "run", "--config", "c.yml")).contains("-XX:AOTCache=" + cache,
                "-XX:+UseCompactObjectHeaders").noneMatch(a -> a.matches("-XX:\\+Use.*GC"));
        // an AOT cache replaces the class-data archive (it is one, and more)
        Map<String, String> both = Map.of("DBWIRE_JAVA", env.get("DBWIRE_JAVA"), "DBWIRE_CDS_ARCHIVE",
                home.resolve("dbwire.jsa").toString());
        assertThat(launch(both, "replay", "a.pcap")).contains("-XX:AOTCache=" + cache)
                .noneMatch(a -> a.contains("ArchiveClassesAtExit") || a.contains("SharedArchiveFile"));
        Path elsewhere = home.resolve("elsewhere.aot");
        Files.writeString(elsewhere, "cache");
        assertThat(launch(Map.of("DBWIRE_JAVA", env.get("DBWIRE_JAVA"), "DBWIRE_AOT_CACHE", elsewhere.toString()),
                "replay", "a.pcap")).contains("-XX:AOTCache=" + elsewhere);
    }

    @Test
    void theJdkIsDbwireJavaThenJavaHomeAndItsReleaseComesFromJavaVersionWithoutAReleaseFile() throws Exception {
        Path jdk25 = fakeJdk("jdk25", "25.0.3", false);
        Path jdk17 = fakeJdk("jdk17", "17.0.21.1", true);
        // DBWIRE_JAVA may name the java executable itself, and wins over JAVA_HOME
        assertThat(launch(Map.of("DBWIRE_JAVA", jdk25.resolve("bin/java").toString(), "JAVA_HOME", jdk17.toString()),
                "replay", "a.pcap")).contains("-XX:+UseCompactObjectHeaders");
        assertThat(ran()).isEqualTo("jdk25");
        assertThat(launch(Map.of("JAVA_HOME", jdk25.toString()), "replay", "a.pcap"))
                .contains("-XX:+UseCompactObjectHeaders");
        assertThat(launch(Map.of("JAVA_HOME", jdk17.toString()), "replay", "a.pcap"))
                .noneMatch(a -> a.contains("CompactObjectHeaders"));
        assertThat(ran()).isEqualTo("jdk17");
    }

    @Test
    void aotCacheTrainsOnTheBundledCapturesWithTheOptionsItWillBeUsedWith() throws Exception {
        Map<String, String> env = Map.of("DBWIRE_JAVA", fakeJdk("jdk25", "25.0.3", true).toString());
        Path training = home.resolve("training/pg.pcap");
        Files.createDirectories(training.getParent());
        Files.writeString(training, "capture");
        Files.createDirectories(home.resolve("lib")); // where the jar is
        List<String> args = launch(env, "aot-cache");
        Path cache = home.resolve("lib/dbwire.aot");
        assertThat(args).contains("-XX:+UseCompactObjectHeaders", "-XX:+UseSerialGC")
                .anyMatch(a -> a.startsWith("-XX:AOTCacheOutput=" + cache + ".") && a.endsWith(".tmp"));
        assertThat(args.subList(args.indexOf("-jar") + 2, args.size())).containsExactly("replay", "--records",
                "/dev/null", "--alerts", "/dev/null", training.toString());
        assertThat(cache).exists(); // renamed from the temporary name once complete
        assertThat(launch(env, "aot-cache", "mine.pcap")).endsWith("mine.pcap");

        Map<String, String> old = Map.of("DBWIRE_JAVA", fakeJdk("jdk17", "17.0.21.1", true).toString());
        Launch refused = launchRaw(old, "aot-cache");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.output()).contains("needs JDK 25 or later");
    }

    @Test
    void aJavaThatIsNotThereIsNamedAndRefused() throws Exception {
        Launch missing = launchRaw(Map.of("DBWIRE_JAVA", home.resolve("no-such-jdk").toString()), "replay", "a.pcap");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.output()).contains("no java at '" + home.resolve("no-such-jdk"), "install JDK 17");
    }

    /** A stand-in JDK: bin/java records its arguments (and its JDK's name) and answers -version; a release file. */
    private Path fakeJdk(String name, String version, boolean releaseFile) throws IOException {
        Path jdk = home.resolve(name);
        Path java = jdk.resolve("bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "#!/bin/sh\n"
                + "if [ \"$1\" = -version ]; then echo 'openjdk version \"" + version + "\" 2026-04-21' >&2; exit 0; fi\n"
                + "echo " + name + " > '" + home.resolve("ran.txt") + "'\n"
                + "for a in \"$@\"; do printf '%s\\n' \"$a\"; case \"$a\" in -XX:AOTCacheOutput=*) : > \"${a#*=}\";; esac;"
                + " done > '" + home.resolve("args.txt") + "'\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (releaseFile) {
            Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        }
        return jdk;
    }

    private String ran() throws IOException {
        return Files.readString(home.resolve("ran.txt")).trim();
    }

    /** The arguments the launcher hands to java, one per line from a stand-in script. */
    private List<String> launch(Map<String, String> env, String... command) throws IOException, InterruptedException {
        Launch launch = launchRaw(env, command);
        assertThat(launch.exitCode()).as(launch.output()).isZero();
        return Files.readAllLines(home.resolve("args.txt"));
    }

    private Launch launchRaw(Map<String, String> env, String... command) throws IOException, InterruptedException {
        Path out = home.resolve("args.txt");
        Path java = home.resolve("fake-java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '" + out + "'\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> shell = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
        shell.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(shell);
        for (String name : List.of("JDK_JAVA_OPTIONS", "DBWIRE_JAVA_OPTS", "DBWIRE_CDS_ARCHIVE", "DBWIRE_JAVA",
                "DBWIRE_AOT_CACHE", "JAVA_HOME", "JAVA")) {
            pb.environment().remove(name);
        }
        pb.environment().put("DBWIRE_HOME", home.toString());
        if (!env.containsKey("DBWIRE_JAVA") && !env.containsKey("JAVA_HOME")) {
            pb.environment().put("JAVA", java.toString());
        }
        pb.environment().putAll(env);
        Process p = pb.redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Launch(p.exitValue(), output);
    }

    private record Launch(int exitCode, String output) { }
}
