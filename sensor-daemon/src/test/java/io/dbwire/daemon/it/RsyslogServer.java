package io.dbwire.daemon.it;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away rsyslog (Debian's rsyslogd) with its own configuration in a temporary directory: imtcp and imudp on
 * free loopback ports, or imtcp with TLS (the ossl driver, package rsyslog-openssl) and a fresh self-signed
 * certificate for 127.0.0.1; everything received goes to one file in RFC 5424 form (RSYSLOG_SyslogProtocol23Format).
 * {@link #stop()} and {@link #start()} may be repeated on the same ports.
 */
public final class RsyslogServer implements AutoCloseable {
    public static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");

    private final Path dir;
    private final int tcpPort;
    private final int udpPort;
    private Process process;

    private RsyslogServer(Path dir, int tcpPort, int udpPort) {
        this.dir = dir;
        this.tcpPort = tcpPort;
        this.udpPort = udpPort;
    }

    public static boolean available() {
        return Files.isExecutable(RSYSLOGD);
    }

    /** Plain TCP (octet-counted or LF framing) and UDP. */
    public static RsyslogServer startPlain() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("dbwire-rsyslog");
        RsyslogServer s = new RsyslogServer(dir, freeTcpPort(), freeUdpPort());
        Files.writeString(dir.resolve("rsyslog.conf"), String.join("\n",
                "global(workDirectory=\"" + dir + "\")",
                "module(load=\"imtcp\")",
                "module(load=\"imudp\")",
                "input(type=\"imtcp\" port=\"" + s.tcpPort + "\" address=\"127.0.0.1\")",
                "input(type=\"imudp\" port=\"" + s.udpPort + "\" address=\"127.0.0.1\")",
                s.fileAction(), ""));
        s.start();
        return s;
    }

    /** TLS only, on {@link #tcpPort()}; the certificate (also the CA) is {@link #certificate()}. */
    public static RsyslogServer startTls() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("dbwire-rsyslog-tls");
        RsyslogServer s = new RsyslogServer(dir, freeTcpPort(), -1);
        ExternalProcess.runOrFail(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString()),
                java.util.Map.of());
        Files.writeString(dir.resolve("rsyslog.conf"), String.join("\n",
                "global(workDirectory=\"" + dir + "\" defaultNetstreamDriver=\"ossl\""
                        + " defaultNetstreamDriverCAFile=\"" + dir.resolve("cert.pem") + "\""
                        + " defaultNetstreamDriverCertFile=\"" + dir.resolve("cert.pem") + "\""
                        + " defaultNetstreamDriverKeyFile=\"" + dir.resolve("key.pem") + "\")",
                "module(load=\"imtcp\" streamDriver.name=\"ossl\" streamDriver.mode=\"1\""
                        + " streamDriver.authMode=\"anon\")",
                "input(type=\"imtcp\" port=\"" + s.tcpPort + "\" address=\"127.0.0.1\")",
                s.fileAction(), ""));
        s.start();
        return s;
    }

    private String fileAction() {
        return "*.* action(type=\"omfile\" file=\"" + received() + "\" template=\"RSYSLOG_SyslogProtocol23Format\")";
    }

    public int tcpPort() {
        return tcpPort;
    }

    public int udpPort() {
        return udpPort;
    }

    public Path certificate() {
        return dir.resolve("cert.pem");
    }

    /** The file rsyslog writes every received message to, one line each. */
    public Path received() {
        return dir.resolve("received.log");
    }

    /** The received lines once there are at least {@code n} (or what there is after {@code timeoutMs}). */
    public List<String> awaitLines(int n, long timeoutMs) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            List<String> lines = Files.exists(received()) ? Files.readAllLines(received()) : List.of();
            if (lines.size() >= n || System.currentTimeMillis() > deadline) {
                return lines;
            }
            Thread.sleep(100);
        }
    }

    public void start() throws IOException, InterruptedException {
        process = new ProcessBuilder(RSYSLOGD.toString(), "-n", "-f", dir.resolve("rsyslog.conf").toString(),
                "-i", dir.resolve("rsyslogd.pid").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("rsyslogd.out").toFile()))
                .start();
        long deadline = System.currentTimeMillis() + 15_000;
        while (!listening()) {
            if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                throw new IOException("rsyslogd did not start: " + Files.readString(dir.resolve("rsyslogd.out")));
            }
            Thread.sleep(50);
        }
    }

    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        process = null;
    }

    @Override
    public void close() throws Exception {
        stop();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", tcpPort), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
