package io.dbwire.daemon.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces joined by a veth pair, created for one test run and removed in {@link #close()}:
 * a server side (10.99.0.1/24) running a throw-away PostgreSQL 15, and a client side (10.99.0.2/24) where psql
 * runs and where {@code tc netem} can impair the wire. tcpdump captures in the server namespace, so the capture
 * holds exactly what the server's interface saw. Names carry the JVM's pid so parallel runs cannot collide.
 */
final class NetemLab implements AutoCloseable {
    static final String SERVER_IP = "10.99.0.1";
    static final String CLIENT_IP = "10.99.0.2";
    static final int PORT = 5432;
    static final String USER = "app";
    static final String PASSWORD = "app-secret";
    static final String DATABASE = "shop";

    private final String serverNs;
    private final String clientNs;
    private final String serverDev;
    private final String clientDev;
    private Path pgDir;
    private boolean pgRunning;
    private Process tcpdump;

    private NetemLab() {
        long pid = ProcessHandle.current().pid() % 100_000;
        serverNs = "dbw-srv-" + pid;
        clientNs = "dbw-cli-" + pid;
        serverDev = "dbws" + pid;
        clientDev = "dbwc" + pid;
    }

    /** Root, iproute2, tcpdump and Debian's PostgreSQL 15 binaries. */
    static boolean available() {
        return ExternalProcess.isRoot() && Files.isExecutable(Path.of("/usr/sbin/ip"))
                && Files.isExecutable(Path.of("/usr/sbin/tc")) && LoopbackCapture.available()
                && PostgresServer.available();
    }

    /** Creates the namespaces and the veth pair; on any failure removes what it made. */
    static NetemLab create() throws IOException, InterruptedException {
        NetemLab lab = new NetemLab();
        try {
            lab.ip("netns", "add", lab.serverNs);
            lab.ip("netns", "add", lab.clientNs);
            lab.ip("link", "add", lab.serverDev, "netns", lab.serverNs, "type", "veth", "peer", "name",
                    lab.clientDev, "netns", lab.clientNs);
            lab.ip("-n", lab.serverNs, "addr", "add", SERVER_IP + "/24", "dev", lab.serverDev);
            lab.ip("-n", lab.clientNs, "addr", "add", CLIENT_IP + "/24", "dev", lab.clientDev);
            for (String[] nd : new String[][] {{lab.serverNs, lab.serverDev}, {lab.clientNs, lab.clientDev}}) {
                lab.ip("-n", nd[0], "link", "set", "lo", "up");
                lab.ip("-n", nd[0], "link", "set", nd[1], "up");
            }
            return lab;
        } catch (IOException | InterruptedException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /**
     * Adds {@code netem} with the given arguments to the client's side of the wire. Returns null on success, or
     * tc's error text (typically "Specified qdisc kind is unknown." when the kernel lacks sch_netem).
     */
    String impairClientSide(String... netemArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", clientNs, "tc", "qdisc", "add", "dev",
                clientDev, "root", "netem"));
        cmd.addAll(List.of(netemArgs));
        ExternalProcess.Result r = ExternalProcess.run(cmd, Map.of(), null, 30);
        return r.exitCode() == 0 ? null : r.output().trim();
    }

    void clearImpairment() throws IOException, InterruptedException {
        ExternalProcess.run(List.of("ip", "netns", "exec", clientNs, "tc", "qdisc", "del", "dev", clientDev, "root"),
                Map.of(), null, 30);
    }

    /** initdb, then postgres inside the server namespace, listening on {@link #SERVER_IP}, statements logged. */
    void startPostgres() throws IOException, InterruptedException {
        pgDir = Files.createTempDirectory("dbwire-netem-pg");
        ExternalProcess.chownToPostgres(pgDir);
        Path data = pgDir.resolve("data");
        ExternalProcess.runOrFail(ExternalProcess.asPostgres(List.of(PostgresServer.BIN.resolve("initdb").toString(),
                "-D", data.toString(), "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256")), Map.of());
        Files.writeString(data.resolve("pg_hba.conf"), "host all all 10.99.0.0/24 scram-sha-256\n",
                java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(data.resolve("postgresql.conf"), String.join("\n",
                "listen_addresses = '" + SERVER_IP + "'",
                "port = " + PORT,
                "unix_socket_directories = '" + pgDir + "'",
                "ssl = off",
                "log_destination = 'csvlog'",
                "logging_collector = on",
                "log_directory = '" + pgDir.resolve("log") + "'",
                "log_filename = 'server.log'",
                "log_statement = 'all'",
                "log_min_duration_statement = 0",
                "log_connections = on",
                ""), java.nio.file.StandardOpenOption.APPEND);
        List<String> start = new ArrayList<>(List.of("ip", "netns", "exec", serverNs));
        start.addAll(ExternalProcess.asPostgres(List.of(PostgresServer.BIN.resolve("pg_ctl").toString(), "-D",
                data.toString(), "-l", pgDir.resolve("startup.log").toString(), "-w", "start")));
        ExternalProcess.runOrFail(start, Map.of());
        pgRunning = true;
        adminSql("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
        adminSql("CREATE DATABASE " + DATABASE + " OWNER " + USER);
    }

    /** Over the Unix socket (a file path, reachable from any network namespace): never on the captured wire. */
    void adminSql(String sql) throws IOException, InterruptedException {
        ExternalProcess.runOrFail(ExternalProcess.asPostgres(List.of("psql", "-X", "-q", "-h", pgDir.toString(),
                "-p", Integer.toString(PORT), "-U", "postgres", "-d", "postgres", "-c", sql)), Map.of());
    }

    /** psql in the client namespace over the veth, the script on stdin. */
    ExternalProcess.Result psql(String application, String script) throws IOException, InterruptedException {
        return ExternalProcess.run(List.of("ip", "netns", "exec", clientNs, "psql", "-X", "-q", "-h", SERVER_IP,
                "-p", Integer.toString(PORT), "-U", USER, "-d", DATABASE), Map.of("PGPASSWORD", PASSWORD,
                "PGSSLMODE", "disable", "PGAPPNAME", application), script, 300);
    }

    /** tcpdump on the server's veth end, in the server namespace; a 64 MiB buffer so a 1 MB burst is not dropped. */
    void startCapture(Path file) throws IOException, InterruptedException {
        Path log = Files.createTempFile("tcpdump", ".log");
        tcpdump = new ProcessBuilder(List.of("ip", "netns", "exec", serverNs, "tcpdump", "-i", serverDev, "-s", "0", "-B", "65536",
                "-U", "--immediate-mode", "-w", file.toString(), "tcp port " + PORT)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.readString(log, StandardCharsets.UTF_8).contains("listening on")) {
            if (!tcpdump.isAlive() || System.nanoTime() > deadline) {
                tcpdump.destroyForcibly();
                throw new IOException("tcpdump did not start: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        Files.deleteIfExists(log);
    }

    void stopCapture() throws InterruptedException {
        if (tcpdump == null) {
            return;
        }
        Thread.sleep(1_000); // the last segments of closing connections
        tcpdump.destroy(); // SIGTERM: tcpdump flushes and closes the file
        if (!tcpdump.waitFor(20, TimeUnit.SECONDS)) {
            tcpdump.destroyForcibly();
        }
        tcpdump = null;
    }

    void stopPostgres() throws IOException, InterruptedException {
        if (pgRunning) {
            ExternalProcess.run(ExternalProcess.asPostgres(List.of(PostgresServer.BIN.resolve("pg_ctl").toString(),
                    "-D", pgDir.resolve("data").toString(), "-m", "fast", "-w", "stop")), Map.of(), null, 60);
            pgRunning = false;
        }
    }

    Path csvLog() {
        return pgDir.resolve("log").resolve("server.csv");
    }

    /** Stops what runs, deletes the namespaces (the veth pair goes with them) and the data directory. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            stopCapture();
            stopPostgres();
        } finally {
            ExternalProcess.run(List.of("ip", "netns", "del", clientNs), Map.of(), null, 30);
            ExternalProcess.run(List.of("ip", "netns", "del", serverNs), Map.of(), null, 30);
            if (pgDir != null) {
                ExternalProcess.run(List.of("rm", "-rf", pgDir.toString()), Map.of(), null, 60);
            }
        }
    }

    private void ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        ExternalProcess.runOrFail(cmd, Map.of());
    }
}
