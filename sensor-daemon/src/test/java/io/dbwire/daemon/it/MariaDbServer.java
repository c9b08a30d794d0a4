package io.dbwire.daemon.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away MariaDB server from Debian's binaries: own data directory, a free loopback port, and the general
 * log (every command of every connection: the ground truth). Runs as the mysql OS user when we are root.
 */
final class MariaDbServer implements AutoCloseable {
    static final Path MARIADBD = Path.of("/usr/sbin/mariadbd");
    static final String APP_USER = "app";
    static final String APP_PASSWORD = "app-secret";
    static final String DATABASE = "shop";

    private final Path dir;
    private final int port;
    private final Process process;

    private MariaDbServer(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    static boolean available() {
        return Files.isExecutable(MARIADBD) && Files.isExecutable(Path.of("/usr/bin/mariadb"));
    }

    static MariaDbServer start() throws IOException, InterruptedException {
        return start(List.of());
    }

    /** @param extraArgs further mariadbd options (plugins to load, their settings) */
    static MariaDbServer start(List<String> extraArgs) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("dbwire-mariadb");
        chown(dir);
        Path data = dir.resolve("data");
        List<String> install = new ArrayList<>(List.of("mariadb-install-db", "--no-defaults",
                "--datadir=" + data, "--auth-root-authentication-method=normal", "--skip-test-db"));
        if (ExternalProcess.isRoot()) {
            install.add("--user=mysql");
        }
        ExternalProcess.runOrFail(install, Map.of());
        ExternalProcess.runOrFail(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                "-subj", "/CN=db.dbwire.test", "-keyout", dir.resolve("server.key").toString(),
                "-out", dir.resolve("server.crt").toString()), Map.of());
        chown(dir);
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(MARIADBD.toString(), "--no-defaults", "--datadir=" + data,
                "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + dir.resolve("mysqld.sock"),
                "--pid-file=" + dir.resolve("mysqld.pid"), "--general-log=1",
                "--general-log-file=" + dir.resolve("general.log"), "--log-error=" + dir.resolve("error.log"),
                "--skip-log-bin", "--max-allowed-packet=64M", "--innodb-buffer-pool-size=32M",
                "--ssl-cert=" + dir.resolve("server.crt"), "--ssl-key=" + dir.resolve("server.key"),
                "--skip-name-resolve"));
        if (ExternalProcess.isRoot()) {
            command.add("--user=mysql");
        }
        command.addAll(extraArgs);
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        MariaDbServer server = new MariaDbServer(dir, port, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!server.accepting()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("mariadbd did not start: " + Files.readString(dir.resolve("stdout.log"))
                        + (Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : ""));
            }
            Thread.sleep(200);
        }
        server.adminSql("CREATE DATABASE " + DATABASE + "; CREATE USER '" + APP_USER + "'@'%' IDENTIFIED BY '"
                + APP_PASSWORD + "'; GRANT ALL ON " + DATABASE + ".* TO '" + APP_USER + "'@'%';");
        return server;
    }

    private boolean accepting() {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return Files.exists(dir.resolve("mysqld.sock"));
        } catch (IOException e) {
            return false;
        }
    }

    int port() {
        return port;
    }

    Path generalLog() {
        return dir.resolve("general.log");
    }

    /** SQL as root over the Unix socket, which the loopback capture does not see. */
    void adminSql(String sql) throws IOException, InterruptedException {
        ExternalProcess.runOrFail(List.of("mariadb", "--no-defaults", "-uroot", "--socket=" + dir.resolve("mysqld.sock"),
                "-e", sql), Map.of());
    }

    /** The mariadb client as the application user over TCP (captured), in clear. */
    ExternalProcess.Result client(String password, List<String> args, String stdin)
            throws IOException, InterruptedException {
        return ExternalProcess.run(clientCommand(password, "--skip-ssl", args), Map.of(), stdin, 300);
    }

    /** The mariadb client over TLS (SSLRequest, then encrypted). */
    ExternalProcess.Result tlsClient(List<String> args) throws IOException, InterruptedException {
        return ExternalProcess.run(clientCommand(APP_PASSWORD, "--ssl", args), Map.of(), null, 300);
    }

    List<String> clientCommand(String password, String ssl, List<String> args) {
        List<String> command = new ArrayList<>(List.of("mariadb", "--no-defaults", "--protocol=TCP", "-h", "127.0.0.1",
                "-P", Integer.toString(port), "-u", APP_USER, "-p" + password, ssl, DATABASE));
        command.addAll(args);
        return command;
    }

    void stop() throws IOException, InterruptedException {
        if (process.isAlive()) {
            process.destroy(); // SIGTERM: clean shutdown
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        ExternalProcess.run(List.of("rm", "-rf", dir.toString()), Map.of(), null, 60);
    }

    private static void chown(Path path) throws IOException, InterruptedException {
        if (ExternalProcess.isRoot()) {
            ExternalProcess.runOrFail(List.of("chown", "-R", "mysql:", path.toString()), Map.of());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
