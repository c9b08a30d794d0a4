package io.dbwire.daemon.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.tls.KeyLogOutcome;
import io.dbwire.core.tls.KeyLogStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /keys on 127.0.0.1, port 0: the token decides, the body is bounded, lines reach the store. */
class KeyListenerTest {
    /** 40 characters; the file adds a newline that is trimmed. */
    private static final String TOKEN = "s3cret-token-for-tests-0123456789abcdefg";
    private static final long NOW = 1_700_000_000_000_000L;
    /** TLS 1.2 master secret line: label, 32-byte client random (64 hex), 48-byte secret (96 hex). */
    private static final String RANDOM_HEX = "11".repeat(32);
    private static final String LINE = "CLIENT_RANDOM " + RANDOM_HEX + " " + "ab".repeat(48);

    @TempDir
    Path dir;

    private final KeyLogStore store = new KeyLogStore(100, 60_000_000L);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private KeyListener listener;

    @BeforeEach
    void start() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        listener = KeyListener.start("127.0.0.1", 0, KeyListenerToken.read(tokenFile), store, () -> NOW);
    }

    @AfterEach
    void stop() {
        listener.close();
    }

    private URI uri(String path) {
        InetSocketAddress a = listener.address();
        return URI.create("http://127.0.0.1:" + a.getPort() + path);
    }

    private HttpResponse<String> post(String authorization, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/keys"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "text/plain");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private boolean stored() {
        return store.lookup(HexFormat.of().parseHex(RANDOM_HEX), NOW) != null;
    }

    @Test
    void theRightTokenAddsTheLinesToTheStore() throws Exception {
        // one key line, a comment, a malformed line, CRLF endings, the last line without its newline
        String body = LINE + "\r\n# comment\r\nCLIENT_RANDOM zz 00\r\n" + "EXPORTER_SECRET " + "22".repeat(32) + " 00";
        HttpResponse<String> r = post("Bearer " + TOKEN, body);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"added\":1,\"ignored\":3,\"too_long\":0}\n");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(stored()).isTrue();
        assertThat(store.counters()).containsEntry(KeyLogOutcome.ADDED, 1L).containsEntry(KeyLogOutcome.MALFORMED, 1L);
        assertThat(listener.stats()).isEqualTo(new KeyListener.Stats(1, 0, 0, 0, 1, 3, 0, 0));
    }

    @Test
    void theSchemeIsCaseInsensitive() throws Exception {
        assertThat(post("bearer " + TOKEN, LINE + "\n").statusCode()).isEqualTo(200);
        assertThat(stored()).isTrue();
    }

    @Test
    void aWrongTokenIsRefusedAndNothingIsAdded() throws Exception {
        HttpResponse<String> r = post("Bearer " + TOKEN.substring(0, TOKEN.length() - 1) + "h", LINE + "\n");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(r.body()).doesNotContain(TOKEN.substring(0, 8));
        assertThat(stored()).isFalse();
        assertThat(store.counters()).doesNotContainKey(KeyLogOutcome.ADDED);
        assertThat(listener.stats().refused()).isEqualTo(1);
    }

    @Test
    void aPrefixOfTheTokenOrAnotherSchemeIsRefused() throws Exception {
        assertThat(post("Bearer " + TOKEN.substring(0, 32), LINE).statusCode()).isEqualTo(401);
        assertThat(post("Bearer " + TOKEN + "x", LINE).statusCode()).isEqualTo(401);
        assertThat(post("Basic " + TOKEN, LINE).statusCode()).isEqualTo(401);
        assertThat(post("Bearer ", LINE).statusCode()).isEqualTo(401);
        assertThat(stored()).isFalse();
        assertThat(listener.stats().refused()).isEqualTo(4);
    }

    @Test
    void noAuthorizationHeaderIsRefused() throws Exception {
        assertThat(post(null, LINE + "\n").statusCode()).isEqualTo(401);
        assertThat(stored()).isFalse();
        assertThat(listener.stats().refused()).isEqualTo(1);
        assertThat(listener.stats().accepted()).isZero();
    }

    @Test
    void aStreamedBodyOverOneMebibyteIs413AndNothingIsAdded() throws Exception {
        // Chunked (no Content-Length): the server reads MAX_BODY + 1 bytes, then stops. The valid line comes first.
        byte[] big = new byte[KeyListener.MAX_BODY + 1];
        byte[] line = (LINE + "\n").getBytes(StandardCharsets.US_ASCII);
        java.util.Arrays.fill(big, (byte) '#');
        System.arraycopy(line, 0, big, 0, line.length);
        HttpRequest req = HttpRequest.newBuilder(uri("/keys")).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();

        HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(stored()).isFalse();
        assertThat(listener.stats().bodiesTooLarge()).isEqualTo(1);
    }

    @Test
    void aBodyOfExactlyOneMebibyteIsAccepted() throws Exception {
        // the key line, then '#' up to exactly MAX_BODY bytes: one comment line of over MAX_LINE bytes
        StringBuilder b = new StringBuilder(LINE).append('\n');
        b.append("#".repeat(KeyListener.MAX_BODY - b.length()));
        HttpResponse<String> r = post("Bearer " + TOKEN, b.toString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"added\":1,\"ignored\":0,\"too_long\":1}\n");
        assertThat(stored()).isTrue();
    }

    @Test
    void aDeclaredLengthOverTheBoundIs413BeforeAnyByteOfTheBody() throws Exception {
        try (Socket s = new Socket("127.0.0.1", listener.address().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Length: 2000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).isEqualTo("HTTP/1.1 413");
        }
        assertThat(listener.stats().bodiesTooLarge()).isEqualTo(1);
    }

    @Test
    void linesOverTheBoundAreCountedAndSkipped() throws Exception {
        String body = "X".repeat(KeyListener.MAX_LINE + 1) + "\n" + LINE + "\n" + "Y".repeat(KeyListener.MAX_LINE) + "\n";
        HttpResponse<String> r = post("Bearer " + TOKEN, body);

        assertThat(r.body()).isEqualTo("{\"added\":1,\"ignored\":1,\"too_long\":1}\n");
        assertThat(listener.stats().linesTooLong()).isEqualTo(1);
        assertThat(store.counters()).containsEntry(KeyLogOutcome.MALFORMED, 1L); // the line of exactly MAX_LINE
    }

    @Test
    void otherMethodsAre405AndOtherPaths404() throws Exception {
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(uri("/keys"))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");

        HttpResponse<String> other = client.send(HttpRequest.newBuilder(uri("/keys/more"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(LINE)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(404);
        HttpResponse<String> root = client.send(HttpRequest.newBuilder(uri("/")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(root.statusCode()).isEqualTo(404);
        assertThat(stored()).isFalse();
        assertThat(listener.stats().badRequests()).isEqualTo(3);
    }

    @Test
    void linesAreDatedWithTheClockAndExpireAfterTheTtl() throws Exception {
        assertThat(post("Bearer " + TOKEN, LINE).statusCode()).isEqualTo(200);
        assertThat(store.lookup(HexFormat.of().parseHex(RANDOM_HEX), NOW + 59_000_000L)).isNotNull();
        assertThat(store.lookup(HexFormat.of().parseHex(RANDOM_HEX), NOW + 61_000_000L)).isNull();
    }

    @Test
    void aClientOutsideAllowedClientsGets403AndNothingIsRead() throws Exception {
        listener.close();
        Path tokenFile = dir.resolve("token");
        listener = KeyListener.start("127.0.0.1", 0, KeyListenerToken.read(tokenFile), store, () -> NOW,
                io.dbwire.daemon.trust.MirrorFilter.of(java.util.List.of("10.9.9.0/24", "fd00::/8"), null));

        HttpResponse<String> r = post("Bearer " + TOKEN, LINE + "\n");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(stored()).isFalse();
        assertThat(listener.stats().forbidden()).isEqualTo(1);
        assertThat(listener.stats().accepted()).isZero();
    }

    @Test
    void aClientInsideAllowedClientsIsServed() throws Exception {
        listener.close();
        listener = KeyListener.start("127.0.0.1", 0, KeyListenerToken.read(dir.resolve("token")), store, () -> NOW,
                io.dbwire.daemon.trust.MirrorFilter.of(java.util.List.of("127.0.0.0/8"), null));

        assertThat(post("Bearer " + TOKEN, LINE + "\n").statusCode()).isEqualTo(200);
        assertThat(stored()).isTrue();
        assertThat(listener.stats().forbidden()).isZero();
    }
}
