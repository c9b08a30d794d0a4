package io.dbwire.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbwire.core.tcp.CloseReason;
import io.dbwire.core.tcp.Direction;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JDK's own TLS (what pgjdbc and MySQL Connector/J use), client and server SSLEngines wired back to back in
 * memory. JSSE writes no key log, so this checks what the sensor sees without keys: version, suite, SNI, ALPN,
 * a JA4 of a Java client, the certificate in TLS 1.2, and one turn per request.
 */
class JdkSslEngineMetadataTest {
    static final int REQUESTS = 3;

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void javaClientSessionWithoutKeys(String protocol) throws Exception {
        Path dir = Files.createTempDirectory("dbwire-jsse");
        Path keystore = dir.resolve("server.p12");
        Process p = new ProcessBuilder("keytool", "-genkeypair", "-alias", "db", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=db.example.test,O=dbwire test", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool is part of every JDK");

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext serverCtx = SSLContext.getInstance(protocol);
        serverCtx.init(kmf.getKeyManagers(), null, null);
        SSLContext clientCtx = SSLContext.getInstance(protocol);
        clientCtx.init(null, new TrustManager[] {new TrustAll()}, null);

        SSLEngine server = serverCtx.createSSLEngine();
        server.setUseClientMode(false);
        SSLParameters sp = server.getSSLParameters();
        sp.setApplicationProtocols(new String[] {"postgresql"});
        server.setSSLParameters(sp);
        SSLEngine client = clientCtx.createSSLEngine(OpenSslHarness.SNI, 5432);
        client.setUseClientMode(true);
        SSLParameters cp = client.getSSLParameters();
        cp.setServerNames(List.of(new SNIHostName(OpenSslHarness.SNI)));
        cp.setApplicationProtocols(new String[] {"postgresql"});
        client.setSSLParameters(cp);

        Wire wire = new Wire(client, server);
        wire.handshake();
        for (int i = 0; i < REQUESTS; i++) {
            wire.send(client, "SELECT " + i + ";");
            wire.send(server, "row " + i);
        }

        List<TlsSessionSummary> summaries = new ArrayList<>();
        PlaintextRecorder out = new PlaintextRecorder();
        TlsDecryptingListener l = new TlsDecryptingListener(out, null, summaries::add, TlsOptions.DEFAULTS);
        long ts = 1_000;
        for (OpenSslHarness.Chunk c : wire.chunks) {
            l.onData(c.direction(), c.bytes(), 0, c.bytes().length, ts += 10);
        }
        l.onClose(CloseReason.FIN, ts);
        TlsSessionSummary s = summaries.get(0);
        assertThat(s.version()).isEqualTo(protocol);
        assertThat(s.cipherSuite()).isEqualTo(client.getSession().getCipherSuite());
        assertThat(s.sni()).isEqualTo(OpenSslHarness.SNI);
        assertThat(s.alpnOffered()).containsExactly("postgresql");
        assertThat(s.ja4()).startsWith(protocol.equals("TLSv1.3") ? "t13d" : "t12d").contains("pl_");
        assertThat(s.turns().turns()).isEqualTo(REQUESTS);
        assertThat(s.violations()).isEmpty();
        assertThat(s.decryptOutcomes()).containsOnlyKeys(DecryptOutcome.NO_KEYS);
        if (protocol.equals("TLSv1.2")) {
            assertThat(s.alpnSelected()).isEqualTo("postgresql");
            assertThat(s.certificate().subject()).isEqualTo("CN=" + OpenSslHarness.SNI + ",O=dbwire test");
        } else {
            assertThat(s.certificate()).isNull();
        }
    }

    /** Moves bytes between the two engines, recording each wrapped flight as one chunk of its direction. */
    static final class Wire {
        final SSLEngine client;
        final SSLEngine server;
        final List<OpenSslHarness.Chunk> chunks = new ArrayList<>();
        final ByteBuffer empty = ByteBuffer.allocate(0);
        final ByteBuffer toClient = ByteBuffer.allocate(1 << 18);
        final ByteBuffer toServer = ByteBuffer.allocate(1 << 18);

        Wire(SSLEngine client, SSLEngine server) {
            this.client = client;
            this.server = server;
        }

        void handshake() throws Exception {
            client.beginHandshake();
            server.beginHandshake();
            for (int round = 0; round < 50 && (busy(client) || busy(server)); round++) {
                step(client, server, empty);
                step(server, client, empty);
            }
            assertThat(busy(client) || busy(server))
                    .as("client %s server %s", client.getHandshakeStatus(), server.getHandshakeStatus()).isFalse();
            // TLS 1.3 servers send session tickets after the handshake; flush them now.
            step(server, client, empty);
        }

        void send(SSLEngine from, String text) throws Exception {
            step(from, from == client ? server : client, ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
        }

        private boolean busy(SSLEngine e) {
            SSLEngineResult.HandshakeStatus s = e.getHandshakeStatus();
            return s != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                    && s != SSLEngineResult.HandshakeStatus.FINISHED;
        }

        /** Wraps everything {@code from} wants to send, records it, and lets {@code to} unwrap it. */
        private void step(SSLEngine from, SSLEngine to, ByteBuffer app) throws Exception {
            drain(from);
            ByteBuffer net = ByteBuffer.allocate(1 << 17);
            for (int i = 0; i < 20; i++) {
                runTasks(from);
                SSLEngineResult r = from.wrap(app, net);
                runTasks(from);
                if (r.bytesProduced() == 0 && !app.hasRemaining()
                        && from.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                    break;
                }
            }
            net.flip();
            if (!net.hasRemaining()) {
                return;
            }
            byte[] bytes = new byte[net.remaining()];
            net.get(bytes);
            chunks.add(new OpenSslHarness.Chunk(
                    from == client ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT, bytes));
            ByteBuffer in = inbound(to);
            in.put(bytes);
            drain(to);
        }

        /** Bytes sent to an engine that it has not consumed yet (it may want to wrap before unwrapping more). */
        private ByteBuffer inbound(SSLEngine e) {
            return e == client ? toClient : toServer;
        }

        private void drain(SSLEngine to) throws Exception {
            ByteBuffer in = inbound(to);
            in.flip();
            ByteBuffer sink = ByteBuffer.allocate(1 << 17);
            while (in.hasRemaining()) {
                SSLEngineResult r = to.unwrap(in, sink);
                runTasks(to);
                if (r.bytesConsumed() == 0) {
                    break;
                }
            }
            in.compact();
        }

        private static void runTasks(SSLEngine e) {
            for (Runnable t; (t = e.getDelegatedTask()) != null; ) {
                t.run();
            }
        }
    }

    /** The test trusts its own self-signed server certificate. */
    static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
