package io.dbwire.daemon.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL 15 server from Debian's binaries: own data directory, a free loopback port,
 * SCRAM passwords over TCP, TLS available, and every statement in a CSV log (the ground truth).
 */
final class PostgresServer implements AutoCloseable {
    static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    static final String APP_USER = "app";
    static final String APP_PASSWORD = "app-secret";
    static final String DATABASE = "shop";

    private final Path dir;
    private final int port;

    private PostgresServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    static boolean available() {
        return Files.isExecutable(BIN.resolve("postgres"));
    }

    static PostgresServer start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("dbwire-pg");
        ExternalProcess.chownToPostgres(dir);
        int port = freePort();
        Path data = dir.resolve("data");
        ExternalProcess.runOrFail(ExternalProcess.asPostgres(List.of(
                BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                "--auth-local=trust", "--auth-host=scram-sha-256")), Map.of());
        ExternalProcess.runOrFail(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                "-subj", "/CN=db.dbwire.test", "-keyout", data.resolve("server.key").toString(),
                "-out", data.resolve("server.crt").toString()), Map.of());
        Files.setPosixFilePermissions(data.resolve("server.key"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        ExternalProcess.chownToPostgres(dir);
        Files.writeString(data.resolve("postgresql.conf"), String.join("\n",
                "listen_addresses = '127.0.0.1'",
                "port = " + port,
                "unix_socket_directories = '" + dir + "'",
                "ssl = on",
                "log_destination = 'csvlog'",
                "logging_collector = on",
                "log_directory = '" + dir.resolve("log") + "'",
                "log_filename = 'server.log'",
                "log_statement = 'all'",
                "log_min_duration_statement = 0",
                "log_connections = on",
                "max_connections = 50",
                ""), java.nio.file.StandardOpenOption.APPEND);
        ExternalProcess.runOrFail(ExternalProcess.asPostgres(List.of(BIN.resolve("pg_ctl").toString(), "-D",
                data.toString(), "-l", dir.resolve("startup.log").toString(), "-w", "start")), Map.of());
        PostgresServer server = new PostgresServer(dir, port);
        server.adminSql("CREATE ROLE " + APP_USER + " LOGIN PASSWORD '" + APP_PASSWORD + "'");
        server.adminSql("CREATE DATABASE " + DATABASE + " OWNER " + APP_USER);
        return server;
    }

    int port() {
        return port;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE + "?sslmode=disable";
    }

    /** Runs SQL as the superuser over the Unix socket, which the loopback capture does not see. */
    void adminSql(String sql) throws IOException, InterruptedException {
        ExternalProcess.runOrFail(ExternalProcess.asPostgres(List.of("psql", "-X", "-q", "-h", dir.toString(),
                "-p", Integer.toString(port), "-U", "postgres", "-d", "postgres", "-c", sql)), Map.of());
    }

    /** Runs psql as the application user over TCP (captured), returning its exit code and output. */
    ExternalProcess.Result psql(String sslMode, String password, String application, List<String> args, String stdin)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("psql", "-X", "-q", "-h", "127.0.0.1",
                "-p", Integer.toString(port), "-U", APP_USER, "-d", DATABASE));
        command.addAll(args);
        return ExternalProcess.run(command, Map.of("PGPASSWORD", password, "PGSSLMODE", sslMode,
                "PGAPPNAME", application), stdin, 120);
    }

    /** The CSV statement log; call after the workload's connections have closed. */
    Path csvLog() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("log"))) {
            return files.filter(p -> p.toString().endsWith(".csv")).findFirst()
                    .orElseThrow(() -> new IOException("no csv log in " + dir));
        }
    }

    /** Stops the server; its log stays readable until {@link #close()}. */
    void stop() throws IOException, InterruptedException {
        ExternalProcess.run(ExternalProcess.asPostgres(List.of(BIN.resolve("pg_ctl").toString(), "-D",
                dir.resolve("data").toString(), "-m", "fast", "-w", "stop")), Map.of(), null, 60);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        ExternalProcess.run(List.of("rm", "-rf", dir.toString()), Map.of(), null, 60);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
