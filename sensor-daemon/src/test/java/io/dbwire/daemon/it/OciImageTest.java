package io.dbwire.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image as a user gets it, without Docker: packaging/build-oci-image.sh builds
 * sensor-daemon/target/dbwire-oci.tar (jib on scratch) from this build's jar; the test reads the image's manifest and
 * config, unpacks its layers into a root directory and runs the image's own entrypoint there under chroot, as the
 * image's user, with a private /proc (what a container runtime gives it): `--version` and a replay of the bundled
 * capture whose alerts go to the image's log directory.
 */
class OciImageTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path IMAGE = ROOT.resolve("sensor-daemon/target/dbwire-oci.tar");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    static JsonNode config;
    static Path rootfs;

    @BeforeAll
    static void buildAndUnpackTheImage() throws Exception {
        ExternalProcess.Result built = ExternalProcess.run(
                List.of("bash", ROOT.resolve("packaging/build-oci-image.sh").toString()), Map.of(), null, 600);
        assertThat(built.exitCode()).as(built.output()).isZero();
        Path image = Files.createDirectories(work.resolve("image"));
        ExternalProcess.runOrFail(List.of("tar", "-xf", IMAGE.toString(), "-C", image.toString()), Map.of());
        JsonNode manifest = JSON.readTree(image.resolve("manifest.json").toFile()).get(0);
        config = JSON.readTree(image.resolve(manifest.get("Config").asText()).toFile());
        rootfs = Files.createDirectories(work.resolve("rootfs"));
        for (JsonNode layer : manifest.get("Layers")) {
            ExternalProcess.runOrFail(List.of("tar", "--warning=no-unknown-keyword", "-xzf",
                    image.resolve(layer.asText()).toString(), "-C", rootfs.toString()), Map.of());
        }
    }

    @Test
    void theConfigNamesEntrypointUserPortsAndVolumes() {
        JsonNode c = config.get("config");
        assertThat(texts(c.get("Entrypoint"))).startsWith("/opt/java/bin/java", "-XX:+ExitOnOutOfMemoryError")
                .endsWith("-jar", "/opt/dbwire/dbwire.jar");
        assertThat(texts(c.get("Cmd"))).containsExactly("run", "--config", "/etc/dbwire/dbwire.yml");
        assertThat(c.get("User").asText()).isEqualTo("dbwire");
        assertThat(names(c.get("ExposedPorts"))).containsExactlyInAnyOrder("4789/udp", "9108/tcp");
        assertThat(names(c.get("Volumes"))).containsExactlyInAnyOrder("/var/lib/dbwire", "/var/log/dbwire");
        assertThat(texts(c.get("Env"))).anyMatch(e -> e.startsWith("JDK_JAVA_OPTIONS=") && e.contains("MaxRAMPercentage"));
        assertThat(config.get("architecture").asText()).isEqualTo("amd64");
    }

    @Test
    void theRootHoldsRuntimeLoaderJarConfigAndTheUser() throws IOException {
        assertThat(rootfs.resolve("opt/java/bin/java")).isExecutable();
        assertThat(rootfs.resolve("lib64/ld-linux-x86-64.so.2")).exists();
        assertThat(rootfs.resolve("opt/dbwire/dbwire.jar")).hasSameBinaryContentAs(ROOT.resolve("sensor-daemon/target/dbwire.jar"));
        assertThat(rootfs.resolve("etc/dbwire/dbwire.yml")).hasSameTextualContentAs(ROOT.resolve("config/dbwire.yml"));
        assertThat(Files.readString(rootfs.resolve("etc/passwd"))).contains("\ndbwire:x:999:999:");
        assertThat(rootfs.resolve("bin")).doesNotExist(); // no shell, no tools: the JVM is the only program
    }

    @Test
    void theImagesRuntimeRunsVersionAndAReplayAsItsUser() throws Exception {
        assumeTrue(ExternalProcess.isRoot(), "OciImageTest: chroot needs root (run as root, as .ci/run does)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")) && Files.isExecutable(Path.of("/usr/sbin/chroot")),
                "OciImageTest: needs unshare and chroot (util-linux, coreutils)");
        // A container sandbox may forbid new namespaces even to root; then this part cannot run here.
        assumeTrue(ExternalProcess.run(List.of("/usr/bin/unshare", "--mount", "--pid", "--fork", "true"), Map.of(),
                null, 30).exitCode() == 0, "OciImageTest: this machine does not allow mount and PID namespaces");
        ExternalProcess.Result version = inImage(List.of("--version"));
        assertThat(version.exitCode()).as(version.output()).isZero();
        assertThat(version.output()).containsPattern("dbwire \\S+ \\(commit \\w+\\)").contains("Java 17");

        Files.copy(ROOT.resolve("testdata/pg-basic-vxlan.pcap"), rootfs.resolve("tmp/pg-basic-vxlan.pcap"));
        ExternalProcess.Result replay = inImage(List.of("replay", "--config", "/etc/dbwire/dbwire.yml",
                "--alerts", "/var/log/dbwire/alerts.jsonl", "/tmp/pg-basic-vxlan.pcap"));
        assertThat(replay.exitCode()).as(replay.output()).isZero();
        assertThat(replay.output()).contains("records=30 alerts=2", "problems: none");
        List<String> alerts = Files.readAllLines(rootfs.resolve("var/log/dbwire/alerts.jsonl"), StandardCharsets.UTF_8);
        assertThat(alerts).hasSize(2).allMatch(a -> a.contains("\"detection\":\"auth_bruteforce\""));
    }

    /** The image's entrypoint with these arguments, as the image's user, its environment only, a private /proc. */
    private static ExternalProcess.Result inImage(List<String> args) throws IOException, InterruptedException {
        JsonNode c = config.get("config");
        String[] ids = userIds(c.get("User").asText());
        Files.createDirectories(rootfs.resolve("proc"));
        List<String> command = new ArrayList<>(List.of("/usr/bin/env", "-i"));
        command.addAll(texts(c.get("Env")));
        command.addAll(List.of("/usr/bin/unshare", "--mount", "--pid", "--fork", "--mount-proc=" + rootfs.resolve("proc"),
                "/usr/sbin/chroot", "--userspec=" + ids[0] + ":" + ids[1], rootfs.toString()));
        command.addAll(texts(c.get("Entrypoint")));
        command.addAll(args);
        return ExternalProcess.run(command, Map.of(), null, 120);
    }

    /** uid and gid of a user in the image's own /etc/passwd. */
    private static String[] userIds(String user) throws IOException {
        for (String line : Files.readAllLines(rootfs.resolve("etc/passwd"))) {
            String[] f = line.split(":");
            if (f[0].equals(user)) {
                return new String[] {f[2], f[3]};
            }
        }
        throw new AssertionError("user " + user + " not in the image's /etc/passwd");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
