package io.dbwire.daemon.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbwire.daemon.cli.DbwireCli;
import io.dbwire.daemon.console.VxlanDatagrams;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release artifacts as an operator gets them: packaging/build-packages.sh (what the package phase runs) builds
 * the tarball and the .deb from a jar of this build; the .deb is unpacked into a temporary root and its service is
 * started the way the unit starts it, with the shipped config edited only for addresses and paths. A mirror sender
 * then replays the bundled capture: the alert file gets auth_bruteforce; when the sender stops, /health turns 503.
 */
class PackageTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path CAPTURE = ROOT.resolve("testdata/pg-basic-vxlan.pcap");
    private static final String VERSION = "9.8.7-SNAPSHOT";
    private static final String DEB = "dbwire_9.8.7~snapshot-1_all.deb";

    @TempDir
    static Path work;

    @BeforeAll
    static void buildPackages() throws Exception {
        Path target = Files.createDirectories(work.resolve("target"));
        thinJar(target.resolve("dbwire.jar"));
        run(List.of("bash", ROOT.resolve("packaging/build-packages.sh").toString(), VERSION, target.toString()),
                Map.of(), 120);
    }

    @Test
    void theTarballHoldsJarLauncherConfigUnitAndDocs() throws Exception {
        List<String> entries = run(List.of("tar", "-tzvf",
                work.resolve("target/dbwire-" + VERSION + ".tar.gz").toString()), Map.of(), 60).lines().toList();
        String prefix = "dbwire-" + VERSION + "/";
        for (String f : List.of("bin/dbwire", "lib/dbwire.jar", "config/dbwire.yml", "config/logback.xml",
                "config/systemd/dbwire.service", "config/systemd/dbwire.service.d/live-capture.conf",
                "config/sysusers.d/dbwire.conf", "config/logrotate.d/dbwire", "config/grafana-dashboard.json",
                "README.md", "docs/aws.md", "docs/troubleshooting.md", "docs/metrics.md",
                "training/pg-basic-vxlan.pcap", "training/mysql-basic.pcap")) {
            assertThat(entries).as(f).anyMatch(e -> e.endsWith(" " + prefix + f));
        }
        assertThat(entries).anyMatch(e -> e.startsWith("-rwxr-xr-x 0/0") && e.endsWith(prefix + "bin/dbwire"));
    }

    @Test
    void theDebInstallsAServiceWithConffilesAndAUser() throws Exception {
        assumeTrue(onPath("dpkg-deb"), "dpkg-deb not installed");
        String deb = work.resolve("target/" + DEB).toString();
        String contents = run(List.of("dpkg-deb", "-c", deb), Map.of(), 60);
        for (String f : List.of("./usr/share/dbwire/lib/dbwire.jar", "./usr/share/dbwire/bin/dbwire",
                "./etc/dbwire/dbwire.yml", "./etc/dbwire/logback.xml", "./lib/systemd/system/dbwire.service",
                "./usr/lib/sysusers.d/dbwire.conf", "./usr/share/doc/dbwire/examples/live-capture.conf",
                "./usr/share/doc/dbwire/examples/logrotate", "./usr/share/doc/dbwire/aws.md",
                "./usr/share/dbwire/training/pg-basic-vxlan.pcap", "./usr/share/dbwire/training/mysql-basic.pcap")) {
            assertThat(contents).as(f).contains(" " + f);
        }
        assertThat(contents).contains("./usr/bin/dbwire -> ../share/dbwire/bin/dbwire");
        assertThat(run(List.of("dpkg-deb", "-f", deb, "Package", "Version", "Depends"), Map.of(), 60))
                .contains("Package: dbwire", "Version: 9.8.7~snapshot-1", "openjdk-17-jre-headless", "libpcap0.8");
        Path control = work.resolve("control");
        run(List.of("dpkg-deb", "-e", deb, control.toString()), Map.of(), 60);
        assertThat(Files.readAllLines(control.resolve("conffiles")))
                .containsExactly("/etc/dbwire/dbwire.yml", "/etc/dbwire/logback.xml");
        String postinst = Files.readAllLines(control.resolve("postinst")).stream()
                .filter(l -> !l.startsWith("#")).collect(java.util.stream.Collectors.joining("\n"));
        assertThat(postinst).contains("systemd-sysusers dbwire.conf", "deb-systemd-helper enable dbwire.service")
                .doesNotContain("systemctl start", "deb-systemd-invoke start");
        // the AOT cache of the previous jar is stale: removed, and rebuilt (JDK 25+ only; the launcher decides)
        assertThat(postinst).contains("rm -f /usr/share/dbwire/lib/dbwire.aot", "/usr/bin/dbwire aot-cache");
        for (String script : List.of("postinst", "prerm", "postrm")) {
            run(List.of("sh", "-n", control.resolve(script).toString()), Map.of(), 30);
        }
    }

    @Test
    void theUnitAsShippedIsHardenedAndPreventsRestartLoops() throws Exception {
        String unit = Files.readString(ROOT.resolve("config/dbwire.service"));
        assertThat(unit).contains("\nUser=dbwire\n", "\nRestartPreventExitStatus=2\n", "\nSystemCallFilter=@system-service\n",
                "\nExecStart=/usr/bin/dbwire run --config /etc/dbwire/dbwire.yml\n", "\nCapabilityBoundingSet=\n",
                "\nEnvironment=\"DBWIRE_HEAP=-Xms512m -Xmx2g\"\n", "\nNoNewPrivileges=yes\n")
                .doesNotContain("DynamicUser");
        assertThat(Files.readString(ROOT.resolve("packaging/bin/dbwire"))).contains("-XX:+ExitOnOutOfMemoryError");
        assertThat(Files.readString(ROOT.resolve("config/sysusers.d/dbwire.conf"))).contains("\nu dbwire ");
        // The drop-in adds exactly one capability and one address family.
        List<String> dropIn = Files.readAllLines(ROOT.resolve("config/dbwire.service.d/live-capture.conf")).stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        assertThat(dropIn).containsExactly("[Service]", "AmbientCapabilities=CAP_NET_RAW",
                "CapabilityBoundingSet=CAP_NET_RAW", "RestrictAddressFamilies=AF_PACKET");

        assumeTrue(onPath("systemd-analyze"), "systemd-analyze not installed");
        Path dir = Files.createDirectories(work.resolve("unit"));
        Files.copy(ROOT.resolve("config/dbwire.service"), dir.resolve("dbwire.service"));
        String report = run(List.of("systemd-analyze", "security", "--offline=true",
                dir.resolve("dbwire.service").toString()), Map.of(), 60);
        Matcher m = Pattern.compile("Overall exposure level for dbwire\\.service: (\\d+\\.\\d)").matcher(report);
        assertThat(m.find()).as(report).isTrue();
        assertThat(Double.parseDouble(m.group(1))).as(report).isLessThanOrEqualTo(2.5);
    }

    @Test
    void theInstalledServiceReceivesMirroredTrafficWritesAlertsAndReportsSilence() throws Exception {
        assumeTrue(onPath("dpkg-deb"), "dpkg-deb not installed");
        Path root = work.resolve("root");
        run(List.of("dpkg-deb", "-x", work.resolve("target/" + DEB).toString(), root.toString()), Map.of(), 60);
        int vxlanPort = freeUdpPort();
        int httpPort = freeTcpPort();
        Path logs = Files.createDirectories(work.resolve("var/log/dbwire"));
        Path state = Files.createDirectories(work.resolve("var/lib/dbwire"));
        // The shipped config, edited only where this sandbox differs from a host: addresses, ports and paths.
        String yml = Files.readString(root.resolve("etc/dbwire/dbwire.yml"))
                .replace("  address: 0.0.0.0\n", "  address: 127.0.0.1\n")
                .replace("  vxlan_port: 4789\n", "  vxlan_port: " + vxlanPort + "\n")
                .replace("  port: 9108\n", "  port: " + httpPort + "\n")
                .replace("  port: 9180\n", "  port: " + freeTcpPort() + "\n")
                .replace("file: /var/log/dbwire/alerts.jsonl", "file: " + logs.resolve("alerts.jsonl"))
                .replace("directory: /var/lib/dbwire", "directory: " + state)
                .replace("  max_silence: 5m\n", "  max_silence: 3s\n");
        Path config = Files.writeString(work.resolve("dbwire.yml"), yml);
        // As the unit's ExecStart and Environment say, with the unpacked root in front of the path.
        ProcessBuilder service = new ProcessBuilder(List.of(root.resolve("usr/bin/dbwire").toString(), "run",
                "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(work.resolve("service.log").toFile());
        service.environment().put("DBWIRE_HEAP", "-Xms64m -Xmx256m"); // the unit's 2g is too much for CI
        Process p = service.start();
        try {
            awaitLog("dbwire started", p);
            assertThat(get(httpPort, "/health")).startsWith("200");
            try (DatagramSocket socket = new DatagramSocket()) {
                for (byte[] payload : VxlanDatagrams.payloads(CAPTURE)) {
                    socket.send(new DatagramPacket(payload, payload.length,
                            new java.net.InetSocketAddress("127.0.0.1", vxlanPort)));
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Path alerts = logs.resolve("alerts.jsonl");
            while (!(Files.exists(alerts) && Files.readString(alerts).contains("\"detection\":\"auth_bruteforce\""))) {
                assertThat(System.nanoTime()).as("no auth_bruteforce alert; log:\n%s", log()).isLessThan(deadline);
                Thread.sleep(100);
            }
            String status = get(httpPort, "/status");
            assertThat(status).contains("\"vni\":\"4242\"", "\"server\":\"127.0.0.1:5432\"");
            assertThat(get(httpPort, "/metrics")).contains("dbwire_build_info{version=\"", "jvm_memory_used_bytes");
            // The sender has stopped: within max_silence (3 s) plus a check period /health says so.
            String health = get(httpPort, "/health");
            while (health.startsWith("200") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                health = get(httpPort, "/health");
            }
            assertThat(health).startsWith("503").contains("no mirrored or captured packet");
            p.destroy(); // SIGTERM, as systemctl stop
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(log()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    private static String log() throws IOException {
        return Files.readString(work.resolve("service.log"));
    }

    private static void awaitLog(String text, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!log().contains(text)) {
            assertThat(p.isAlive()).as("service exited: %s", log()).isTrue();
            assertThat(System.nanoTime()).as("no '%s' in: %s", text, log()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /**
     * A runnable jar of this build without copying it: a manifest naming the main class and, as its class path,
     * the test run's own (the classes and every dependency jar).
     */
    private static void thinJar(Path jar) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.put(Attributes.Name.MAIN_CLASS, DbwireCli.class.getName());
        StringBuilder cp = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path e = Path.of(entry).toAbsolutePath();
            cp.append(e.toUri()).append(' '); // directories get their trailing slash from toUri()
        }
        a.put(Attributes.Name.CLASS_PATH, cp.toString().trim());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf)) {
            // the manifest is all
        }
    }

    private static String run(List<String> command, Map<String, String> env, long timeoutSeconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(timeoutSeconds, TimeUnit.SECONDS)).as("timed out: %s", command).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("%s:\n%s", command, text).isZero();
        return text;
    }

    private static boolean onPath(String tool) {
        try {
            return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String get(int port, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
        c.setConnectTimeout(5_000);
        c.setReadTimeout(5_000);
        int status = c.getResponseCode();
        InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
        String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        c.disconnect();
        return status + " " + body;
    }
}
