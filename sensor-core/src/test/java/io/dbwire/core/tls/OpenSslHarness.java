package io.dbwire.core.tls;

import io.dbwire.core.tcp.Direction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real TLS session between {@code openssl s_server -rev} (answers each line reversed) and
 * {@code openssl s_client -keylogfile}, through a loopback relay in this JVM that records every chunk of both
 * directions in arrival order: the same bytes a mirrored capture would carry.
 */
final class OpenSslHarness {
    static final String SNI = "db.example.test";

    /** One read from one side, in the order the relay saw them. */
    record Chunk(Direction direction, byte[] bytes) {}

    record Capture(List<Chunk> chunks, String keyLog, String clientStdout) {}

    private OpenSslHarness() {}

    static boolean available() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** A self-signed RSA certificate (RSA so the ECDHE-RSA suites work) for CN=db.example.test. */
    static void makeCertificate(Path dir) throws Exception {
        exec(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out",
                "cert.pem", "-days", "2", "-subj", "/CN=" + SNI + "/O=dbwire test");
    }

    /**
     * @param clientOptions extra s_client options (version, suites)
     * @param lines         lines typed into s_client; "K" is s_client's KeyUpdate command (TLS 1.3)
     */
    static Capture run(Path dir, List<String> clientOptions, List<String> lines) throws Exception {
        int serverPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            serverPort = probe.getLocalPort();
        }
        Path serverOut = dir.resolve("server-" + serverPort + ".out");
        Process server = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + serverPort, "-cert",
                "cert.pem", "-key", "key.pem", "-rev", "-naccept", "1", "-alpn", "postgresql")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(serverOut.toFile()).start();
        List<Chunk> chunks = new ArrayList<>();
        try (ServerSocket relay = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            await(() -> Files.readString(serverOut).contains("ACCEPT"), "s_server to listen");
            Thread relayThread = new Thread(() -> relay(relay, serverPort, chunks), "tls-relay");
            relayThread.start();
            Path keys = dir.resolve("keys-" + serverPort + ".log");
            Path clientErr = dir.resolve("client-" + serverPort + ".err");
            List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect",
                    "127.0.0.1:" + relay.getLocalPort(), "-servername", SNI, "-alpn", "postgresql",
                    "-keylogfile", keys.toString()));
            cmd.addAll(clientOptions);
            Process client = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectError(clientErr.toFile()).start();
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> copy(client.getInputStream(), stdout), "s_client-stdout");
            reader.start();
            OutputStream stdin = client.getOutputStream();
            await(() -> stdout.toString(StandardCharsets.ISO_8859_1).contains("---\n"), "the handshake");
            int keyUpdates = 0;
            for (String line : lines) {
                stdin.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
                stdin.flush();
                if (line.equals("K")) {
                    int want = ++keyUpdates;
                    await(() -> count(Files.readString(clientErr), "KEYUPDATE") >= want, "the key update");
                } else {
                    String reversed = new StringBuilder(line).reverse().toString();
                    await(() -> stdout.toString(StandardCharsets.ISO_8859_1).contains(reversed), "the answer");
                }
            }
            stdin.close();
            if (!client.waitFor(20, TimeUnit.SECONDS) || !server.waitFor(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("openssl did not exit");
            }
            relayThread.join(20_000);
            reader.join(20_000);
            synchronized (chunks) {
                return new Capture(oneClientRecordPerChunk(chunks), Files.readString(keys),
                        stdout.toString(StandardCharsets.ISO_8859_1));
            }
        } finally {
            server.destroy();
        }
    }

    /**
     * {@code openssl s_client -starttls postgres -quiet} with {@code stdin} as the bytes to send after the
     * handshake (the client exits when the server closes), through the recording relay.
     */
    static Capture runStarttlsPostgres(Path dir, int pgPort, List<String> clientOptions, byte[] stdin)
            throws Exception {
        List<Chunk> chunks = new ArrayList<>();
        try (ServerSocket relay = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread relayThread = new Thread(() -> relay(relay, pgPort, chunks), "pg-relay");
            relayThread.start();
            Path keys = Files.createTempFile(dir, "pg-keys", ".log");
            List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-starttls", "postgres", "-connect",
                    "127.0.0.1:" + relay.getLocalPort(), "-servername", SNI, "-keylogfile", keys.toString(),
                    "-quiet"));
            cmd.addAll(clientOptions);
            Process client = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream in = client.getOutputStream()) {
                in.write(stdin);
            }
            byte[] out = client.getInputStream().readAllBytes();
            if (!client.waitFor(30, TimeUnit.SECONDS)) {
                client.destroy();
                throw new IllegalStateException("s_client did not exit");
            }
            relayThread.join(20_000);
            synchronized (chunks) {
                return new Capture(List.copyOf(chunks), Files.readString(keys),
                        new String(out, StandardCharsets.ISO_8859_1));
            }
        }
    }

    private static void relay(ServerSocket relay, int serverPort, List<Chunk> chunks) {
        try (Socket client = relay.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort)) {
            Thread up = new Thread(() -> pump(client, server, Direction.CLIENT_TO_SERVER, chunks));
            up.start();
            pump(server, client, Direction.SERVER_TO_CLIENT, chunks);
            up.join(20_000);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * How many TLS records one socket read brings depends on timing (a loaded machine coalesces them), while the
     * tests pick out requests as "a client chunk holding one application record": the client's chunks are cut at
     * record boundaries, in order, so that the capture's shape does not depend on scheduling. A record that spans
     * reads is emitted whole once complete.
     */
    static List<Chunk> oneClientRecordPerChunk(List<Chunk> chunks) {
        List<Chunk> out = new ArrayList<>();
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        for (Chunk c : chunks) {
            if (c.direction() != Direction.CLIENT_TO_SERVER) {
                out.add(c);
                continue;
            }
            pending.write(c.bytes(), 0, c.bytes().length);
            byte[] buf = pending.toByteArray();
            int at = 0;
            while (buf.length - at >= 5) {
                int length = ((buf[at + 3] & 0xFF) << 8 | (buf[at + 4] & 0xFF)) + 5;
                if (buf.length - at < length) {
                    break;
                }
                out.add(new Chunk(Direction.CLIENT_TO_SERVER, java.util.Arrays.copyOfRange(buf, at, at + length)));
                at += length;
            }
            pending.reset();
            pending.write(buf, at, buf.length - at);
        }
        if (pending.size() > 0) {
            out.add(new Chunk(Direction.CLIENT_TO_SERVER, pending.toByteArray()));
        }
        return List.copyOf(out);
    }

    private static void pump(Socket from, Socket to, Direction d, List<Chunk> chunks) {
        byte[] buf = new byte[16384];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buf)) > 0; ) {
                // Record before forwarding, so the capture order is causal: the peer's answer comes later.
                synchronized (chunks) {
                    chunks.add(new Chunk(d, java.util.Arrays.copyOf(buf, n)));
                }
                out.write(buf, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // the other side reset: the capture ends here, as a mirror's would
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                synchronized (out) {
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // process ended
        }
    }

    private static int count(String text, String word) {
        int n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
            n++;
        }
        return n;
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void await(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static void exec(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + new String(out, StandardCharsets.UTF_8));
        }
    }
}
