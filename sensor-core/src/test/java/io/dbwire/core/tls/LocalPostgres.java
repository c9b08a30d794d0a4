package io.dbwire.core.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway PostgreSQL 15 (Debian's packaging) with {@code ssl = on} and trust authentication on loopback, run
 * as the {@code postgres} user: just enough for a real server's TLS.
 */
final class LocalPostgres implements AutoCloseable {
    static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private final Path dir;
    final int port;

    private LocalPostgres(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    static boolean available() {
        return Files.isExecutable(BIN.resolve("postgres")) && Files.isExecutable(Path.of("/usr/sbin/runuser"))
                && "root".equals(System.getProperty("user.name"));
    }

    static LocalPostgres start() throws Exception {
        Path dir = Files.createTempDirectory("dbwire-pg-tls");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path data = dir.resolve("data");
        exec(dir, "chown", "postgres", dir.toString());
        exec(dir, asPostgres(BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                "--auth=trust"));
        exec(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=" + OpenSslHarness.SNI, "-keyout", data.resolve("server.key").toString(),
                "-out", data.resolve("server.crt").toString());
        exec(dir, "chmod", "600", data.resolve("server.key").toString());
        exec(dir, "chown", "-R", "postgres", data.toString());
        Files.writeString(data.resolve("postgresql.conf"), String.join("\n",
                "listen_addresses = '127.0.0.1'", "port = " + port, "unix_socket_directories = '" + dir + "'",
                "ssl = on", ""), java.nio.file.StandardOpenOption.APPEND);
        exec(dir, asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                dir.resolve("server.log").toString(), "-w", "start"));
        return new LocalPostgres(dir, port);
    }

    @Override
    public void close() throws Exception {
        exec(dir, asPostgres(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast",
                "-w", "stop"));
    }

    private static String[] asPostgres(String... cmd) {
        List<String> all = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        all.addAll(List.of(cmd));
        return all.toArray(new String[0]);
    }

    private static void exec(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + ": " + new String(out));
        }
    }
}
