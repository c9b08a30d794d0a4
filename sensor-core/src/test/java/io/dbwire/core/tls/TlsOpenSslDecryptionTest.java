package io.dbwire.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbwire.core.tcp.CloseReason;
import io.dbwire.core.tcp.Direction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Real TLS sessions by OpenSSL (s_server -rev / s_client -keylogfile) over a recording loopback relay: with the
 * key log the sensor must give back exactly the bytes the client typed and the server answered; without it, or
 * with bytes tampered or lost, the metadata stays right and every lost record is a counted outcome.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsOpenSslDecryptionTest {
    static final String TYPED = "SELECT 1;\nSELECT 2;\n";
    static final String ANSWERED = ";1 TCELES\n;2 TCELES\n";
    static final List<String> TLS13_LINES = List.of("SELECT 1;", "K", "SELECT 2;");
    static final List<String> TLS12_LINES = List.of("SELECT 1;", "SELECT 2;");

    private Path dir;
    private OpenSslHarness.Capture tls13Aes128;
    private OpenSslHarness.Capture tls12Aes128;

    @BeforeAll
    void setUp() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(OpenSslHarness.available(), "needs the openssl command line (CI installs it)");
        }
        dir = Files.createTempDirectory("dbwire-tls");
        OpenSslHarness.makeCertificate(dir);
        tls13Aes128 = OpenSslHarness.run(dir, List.of("-ciphersuites", "TLS_AES_128_GCM_SHA256"), TLS13_LINES);
        tls12Aes128 = OpenSslHarness.run(dir, List.of("-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"),
                TLS12_LINES);
    }

    @Test
    void tls13Aes128GcmWithKeyUpdateDecrypts() {
        Result r = replay(tls13Aes128, tls13Aes128.keyLog());
        assertDecrypted(r, "TLSv1.3", "TLS_AES_128_GCM_SHA256");
    }

    @Test
    void tls13Aes256GcmDecrypts() throws Exception {
        OpenSslHarness.Capture c = OpenSslHarness.run(dir, List.of("-ciphersuites", "TLS_AES_256_GCM_SHA384"),
                TLS13_LINES);
        assertDecrypted(replay(c, c.keyLog()), "TLSv1.3", "TLS_AES_256_GCM_SHA384");
    }

    @Test
    void tls13ChaCha20Poly1305Decrypts() throws Exception {
        OpenSslHarness.Capture c = OpenSslHarness.run(dir,
                List.of("-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256"), TLS13_LINES);
        assertDecrypted(replay(c, c.keyLog()), "TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256");
    }

    @Test
    void tls12EcdheRsaAes128GcmDecrypts() {
        Result r = replay(tls12Aes128, tls12Aes128.keyLog());
        assertDecrypted(r, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void tls12EcdheRsaAes256GcmDecrypts() throws Exception {
        OpenSslHarness.Capture c = OpenSslHarness.run(dir,
                List.of("-tls1_2", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384"), TLS12_LINES);
        assertDecrypted(replay(c, c.keyLog()), "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
    }

    @Test
    void tls12EcdheRsaChaCha20Poly1305Decrypts() throws Exception {
        OpenSslHarness.Capture c = OpenSslHarness.run(dir,
                List.of("-tls1_2", "-cipher", "ECDHE-RSA-CHACHA20-POLY1305"), TLS12_LINES);
        assertDecrypted(replay(c, c.keyLog()), "TLSv1.2", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    }

    @Test
    void everySplitOfTheStreamGivesTheSamePlaintext() {
        for (OpenSslHarness.Capture c : List.of(tls13Aes128, tls12Aes128)) {
            Result r = replay(c, c.keyLog(), 1);
            assertThat(r.out.text(Direction.CLIENT_TO_SERVER)).isEqualTo(TYPED);
            assertThat(r.out.text(Direction.SERVER_TO_CLIENT)).isEqualTo(ANSWERED);
        }
    }

    @Test
    void withoutKeysTheMetadataAndTurnsAreStillRight() {
        for (OpenSslHarness.Capture c : List.of(tls13Aes128, tls12Aes128)) {
            Result withKeys = replay(c, c.keyLog());
            Result without = replay(c, null);
            TlsSessionSummary s = without.summary;
            assertThat(s.decrypted()).isFalse();
            assertThat(s.decryptOutcomes()).containsOnlyKeys(DecryptOutcome.NO_KEYS);
            assertThat(without.out.data[0].size() + without.out.data[1].size()).isZero();
            assertThat(s.version()).isEqualTo(withKeys.summary.version());
            assertThat(s.cipherSuite()).isEqualTo(withKeys.summary.cipherSuite());
            assertThat(s.sni()).isEqualTo(OpenSslHarness.SNI);
            assertThat(s.ja4()).isEqualTo(withKeys.summary.ja4());
            assertThat(s.turns()).isEqualTo(withKeys.summary.turns());
            assertThat(s.turns().turns()).isEqualTo(expectedTurns(c));
        }
        // TLS 1.3 hides the certificate without keys; TLS 1.2 shows it in clear.
        assertThat(replay(tls13Aes128, null).summary.certificate()).isNull();
        assertThat(replay(tls12Aes128, null).summary.certificate().subject()).contains("CN=" + OpenSslHarness.SNI);
    }

    @Test
    void keysThatArriveAfterTheTrafficStillDecryptFromTheWaitBuffer() {
        for (OpenSslHarness.Capture c : List.of(tls13Aes128, tls12Aes128)) {
            KeyLogStore store = new KeyLogStore(16, Long.MAX_VALUE / 4);
            PlaintextRecorder out = new PlaintextRecorder();
            List<TlsSessionSummary> summaries = new ArrayList<>();
            TlsDecryptingListener l = new TlsDecryptingListener(out, store, summaries::add, TlsOptions.DEFAULTS);
            feed(l, c, Integer.MAX_VALUE);
            store.addLines(c.keyLog(), 2_000_000);
            l.onClose(CloseReason.FIN, 2_000_000);
            assertThat(out.text(Direction.CLIENT_TO_SERVER)).isEqualTo(TYPED);
            assertThat(out.text(Direction.SERVER_TO_CLIENT)).isEqualTo(ANSWERED);
            assertThat(summaries.get(0).decryptOutcomes()).containsKey(DecryptOutcome.QUEUED_FOR_KEYS);
        }
    }

    @Test
    void keysLaterThanTheWaitAreNotUsedAndNothingIsHeld() {
        KeyLogStore store = new KeyLogStore(16, Long.MAX_VALUE / 4);
        PlaintextRecorder out = new PlaintextRecorder();
        List<TlsSessionSummary> summaries = new ArrayList<>();
        // Chunks are 100 us apart: a 250 us wait runs out a few records into the session.
        TlsDecryptingListener l = new TlsDecryptingListener(out, store, summaries::add,
                new TlsOptions(256 * 1024, 65536, 4, 250));
        long ts = feed(l, tls12Aes128, Integer.MAX_VALUE);
        store.addLines(tls12Aes128.keyLog(), ts);
        l.onClose(CloseReason.FIN, ts);
        TlsSessionSummary s = summaries.get(0);
        assertThat(s.decrypted()).isFalse();
        assertThat(s.decryptOutcomes()).containsKeys(DecryptOutcome.QUEUED_FOR_KEYS, DecryptOutcome.NO_KEYS)
                .doesNotContainKey(DecryptOutcome.DECRYPTED);
        assertThat(out.data[0].size() + out.data[1].size()).isZero();
        assertThat(out.gapCalls[0]).isPositive();
        assertThat(s.turns().turns()).isEqualTo(2);
    }

    @Test
    void aWaitBufferTooSmallCountsTheOverflowAndNeverSplicesBytes() {
        KeyLogStore store = new KeyLogStore(16, Long.MAX_VALUE / 4);
        PlaintextRecorder out = new PlaintextRecorder();
        List<TlsSessionSummary> summaries = new ArrayList<>();
        TlsDecryptingListener l = new TlsDecryptingListener(out, store, summaries::add, new TlsOptions(64, 65536, 4, 10_000_000L));
        feed(l, tls12Aes128, Integer.MAX_VALUE);
        store.addLines(tls12Aes128.keyLog(), 2_000_000);
        l.onClose(CloseReason.FIN, 2_000_000);
        assertThat(summaries.get(0).decryptOutcomes()).containsKey(DecryptOutcome.BUFFER_FULL);
        assertThat(out.text(Direction.CLIENT_TO_SERVER)).isEmpty();
        assertThat(out.gapCalls[0]).isPositive();
    }

    @Test
    void aTamperedRecordIsATagFailureAndTheRestStillDecrypts() {
        for (OpenSslHarness.Capture c : List.of(tls13Aes128, tls12Aes128)) {
            int target = lastClientChunkCarrying(c, 0);
            List<OpenSslHarness.Chunk> chunks = new ArrayList<>(c.chunks());
            byte[] tampered = chunks.get(target).bytes().clone();
            tampered[tampered.length - 1] ^= 0x01; // inside the AEAD tag of the last record in the chunk
            chunks.set(target, new OpenSslHarness.Chunk(Direction.CLIENT_TO_SERVER, tampered));
            Result r = replay(new OpenSslHarness.Capture(chunks, c.keyLog(), c.clientStdout()), c.keyLog());
            assertThat(r.summary.decryptOutcomes().get(DecryptOutcome.TAG_FAILURE)).isEqualTo(1L);
            assertThat(r.out.text(Direction.CLIENT_TO_SERVER)).isEqualTo("SELECT 1;\n");
            assertThat(r.out.gaps[0]).isEqualTo("SELECT 2;\n".length());
            assertThat(r.out.text(Direction.SERVER_TO_CLIENT)).isEqualTo(ANSWERED);
        }
    }

    @Test
    void aWrongKeyIsCountedAndGivesNoPlaintext() {
        for (OpenSslHarness.Capture c : List.of(tls13Aes128, tls12Aes128)) {
            // Flip the last hex digit of every secret: right session, wrong key.
            StringBuilder wrong = new StringBuilder();
            for (String line : c.keyLog().split("\n")) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    char last = line.charAt(line.length() - 1);
                    line = line.substring(0, line.length() - 1) + (last == '0' ? '1' : '0');
                }
                wrong.append(line).append('\n');
            }
            Result r = replay(c, wrong.toString());
            assertThat(r.summary.decryptOutcomes()).containsKey(DecryptOutcome.TAG_FAILURE)
                    .doesNotContainKey(DecryptOutcome.DECRYPTED);
            assertThat(r.out.data[0].size() + r.out.data[1].size()).isZero();
            assertThat(r.summary.turns().turns()).isEqualTo(expectedTurns(c));
        }
    }

    @Test
    void aTruncatedLastRecordIsCountedNotDecrypted() {
        List<OpenSslHarness.Chunk> chunks = new ArrayList<>(tls12Aes128.chunks());
        int target = lastClientChunkCarrying(tls12Aes128, 0);
        byte[] whole = chunks.get(target).bytes();
        chunks.set(target, new OpenSslHarness.Chunk(Direction.CLIENT_TO_SERVER,
                java.util.Arrays.copyOf(whole, whole.length - 3)));
        Result r = replay(new OpenSslHarness.Capture(chunks.subList(0, target + 1), tls12Aes128.keyLog(), ""),
                tls12Aes128.keyLog());
        // The cut record never completes: the second line never surfaces, nothing wrong does.
        assertThat(r.out.text(Direction.CLIENT_TO_SERVER)).isEqualTo("SELECT 1;\n");
        assertThat(r.summary.violations()).containsEntry(TlsViolation.TRUNCATED_AT_CLOSE, 1L);
        assertThat(r.summary.decryptOutcomes()).containsEntry(DecryptOutcome.LOST_IN_GAP, 1L);
    }

    @Test
    void aRecordShorterThanItsAeadOverheadIsTruncated() {
        for (OpenSslHarness.Capture c : List.of(tls13Aes128, tls12Aes128)) {
            List<OpenSslHarness.Chunk> chunks = new ArrayList<>(c.chunks());
            int target = lastClientChunkCarrying(c, 0);
            // application_data, version 0x0303, length 10: too short for any tag (16 bytes) to fit.
            byte[] runt = HelloBuilder.record(23, 0x0303, new byte[10]);
            chunks.set(target, new OpenSslHarness.Chunk(Direction.CLIENT_TO_SERVER, runt));
            Result r = replay(new OpenSslHarness.Capture(chunks, c.keyLog(), ""), c.keyLog());
            assertThat(r.summary.decryptOutcomes()).containsEntry(DecryptOutcome.TRUNCATED, 1L);
            assertThat(r.out.text(Direction.CLIENT_TO_SERVER)).isEqualTo("SELECT 1;\n");
        }
    }

    @Test
    void aGapInsideTheStreamLosesOnlyWhatItMust() {
        for (OpenSslHarness.Capture c : List.of(tls13Aes128, tls12Aes128)) {
            int target = lastClientChunkCarrying(c, 1); // the chunk carrying "SELECT 1;"
            KeyLogStore store = new KeyLogStore(16, Long.MAX_VALUE / 4);
            store.addLines(c.keyLog(), 0);
            PlaintextRecorder out = new PlaintextRecorder();
            List<TlsSessionSummary> summaries = new ArrayList<>();
            TlsDecryptingListener l = new TlsDecryptingListener(out, store, summaries::add, TlsOptions.DEFAULTS);
            long ts = 1_000_000;
            for (int i = 0; i < c.chunks().size(); i++) {
                OpenSslHarness.Chunk ch = c.chunks().get(i);
                if (i == target) {
                    l.onGap(ch.direction(), ch.bytes().length, ts);
                } else {
                    l.onData(ch.direction(), ch.bytes(), 0, ch.bytes().length, ts);
                }
                ts += 100;
            }
            l.onClose(CloseReason.FIN, ts);
            TlsSessionSummary s = summaries.get(0);
            // The gap took a whole record header: the client direction stays undecryptable, the server's does not,
            // and the reader finds the next header so metadata continues.
            assertThat(s.violations()).containsKey(TlsViolation.GAP_LOST_FRAMING);
            assertThat(s.decryptOutcomes()).containsKey(DecryptOutcome.AFTER_LOSS);
            assertThat(out.text(Direction.CLIENT_TO_SERVER)).isEmpty();
            assertThat(out.gapCalls[0]).isPositive();
            assertThat(out.text(Direction.SERVER_TO_CLIENT)).isEqualTo(ANSWERED);
        }
    }

    @Test
    void aFramingLossWhileKeysAreAwaitedTakesEffectInPlace() {
        for (OpenSslHarness.Capture c : List.of(tls13Aes128, tls12Aes128)) {
            int target = lastClientChunkCarrying(c, 0); // "SELECT 2;" is lost with its record header
            KeyLogStore store = new KeyLogStore(16, Long.MAX_VALUE / 4);
            PlaintextRecorder out = new PlaintextRecorder();
            List<TlsSessionSummary> summaries = new ArrayList<>();
            TlsDecryptingListener l = new TlsDecryptingListener(out, store, summaries::add, TlsOptions.DEFAULTS);
            long ts = 1_000_000;
            for (int i = 0; i < c.chunks().size(); i++) {
                OpenSslHarness.Chunk ch = c.chunks().get(i);
                if (i == target) {
                    l.onGap(ch.direction(), ch.bytes().length, ts);
                } else {
                    l.onData(ch.direction(), ch.bytes(), 0, ch.bytes().length, ts);
                }
                ts += 100;
            }
            store.addLines(c.keyLog(), ts);
            l.onClose(CloseReason.FIN, ts);
            // Records queued before the loss still decrypt; the loss is a gap at its own place.
            assertThat(out.text(Direction.CLIENT_TO_SERVER)).isEqualTo("SELECT 1;\n");
            assertThat(out.text(Direction.SERVER_TO_CLIENT)).isEqualTo(ANSWERED);
            assertThat(out.gaps[0]).isPositive();
        }
    }

    @Test
    void aSessionPickedUpMidStreamStillCountsTurns() {
        // Start at the first request: no handshake seen, so no client random and no key lookup.
        int first = lastClientChunkCarrying(tls12Aes128, 1);
        List<OpenSslHarness.Chunk> tail = tls12Aes128.chunks().subList(first, tls12Aes128.chunks().size());
        Result r = replay(new OpenSslHarness.Capture(tail, tls12Aes128.keyLog(), ""), tls12Aes128.keyLog());
        assertThat(r.summary.version()).isNull();
        assertThat(r.summary.ja4()).isNull();
        assertThat(r.summary.decryptOutcomes()).containsOnlyKeys(DecryptOutcome.NO_CLIENT_HELLO);
        assertThat(r.summary.turns().turns()).isEqualTo(2);
        assertThat(r.out.data[0].size()).isZero();
    }

    @Test
    void mutatedSessionsNeverThrowAndNeverYieldBytesThatWereNotSent() {
        Random random = new Random(20261126);
        for (int round = 0; round < 300; round++) {
            OpenSslHarness.Capture c = round % 2 == 0 ? tls13Aes128 : tls12Aes128;
            List<OpenSslHarness.Chunk> chunks = new ArrayList<>();
            for (OpenSslHarness.Chunk ch : c.chunks()) {
                byte[] b = ch.bytes().clone();
                if (random.nextInt(4) == 0) {
                    b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
                }
                if (random.nextInt(10) == 0) {
                    b = java.util.Arrays.copyOf(b, random.nextInt(b.length + 1));
                }
                chunks.add(new OpenSslHarness.Chunk(ch.direction(), b));
            }
            Result r = replay(new OpenSslHarness.Capture(chunks, c.keyLog(), ""), c.keyLog(),
                    1 + random.nextInt(64));
            // AEAD: whatever comes out is made of whole lines that were really sent, in order.
            assertThat(TYPED).as("round %d", round).contains(r.out.text(Direction.CLIENT_TO_SERVER));
            assertThat(ANSWERED).as("round %d", round).contains(r.out.text(Direction.SERVER_TO_CLIENT));
        }
    }

    private void assertDecrypted(Result r, String version, String cipher) {
        TlsSessionSummary s = r.summary;
        assertThat(r.out.text(Direction.CLIENT_TO_SERVER)).isEqualTo(TYPED);
        assertThat(r.out.text(Direction.SERVER_TO_CLIENT)).isEqualTo(ANSWERED);
        assertThat(r.out.gaps).containsExactly(0, 0);
        assertThat(r.out.closed).isEqualTo(CloseReason.FIN);
        assertThat(s.version()).isEqualTo(version);
        assertThat(s.cipherSuite()).isEqualTo(cipher);
        assertThat(s.sni()).isEqualTo(OpenSslHarness.SNI);
        assertThat(s.alpnOffered()).containsExactly("postgresql");
        assertThat(s.alpnSelected()).isEqualTo("postgresql");
        assertThat(s.certificate().subject()).isEqualTo("O=dbwire test,CN=" + OpenSslHarness.SNI);
        assertThat(s.certificate().issuer()).isEqualTo(s.certificate().subject());
        assertThat(s.ja4()).startsWith(version.equals("TLSv1.3") ? "t13d" : "t12d").contains("pl_");
        assertThat(s.ja3Hash()).hasSize(32);
        assertThat(s.decrypted()).isTrue();
        assertThat(s.decryptOutcomes()).containsOnlyKeys(DecryptOutcome.DECRYPTED);
        assertThat(s.violations()).isEmpty();
        assertThat(s.handshakeMicros()).isPositive();
        List<Turn> turns = s.turns().lastTurns();
        assertThat(s.turns().turns()).isEqualTo(expectedTurns(r.capture));
        assertThat(turns).hasSize((int) expectedTurns(r.capture));
        assertThat(turns.get(0).requestRecords()).isEqualTo(1);
        assertThat(turns.get(0).responseRecords()).isPositive();
        assertThat(turns.get(0).latencyMicros()).isPositive();
        assertThat(turns.get(turns.size() - 1).responseRecords()).isPositive();
        assertThat(s.clientRecords()).isPositive();
        assertThat(s.serverBytes()).isEqualTo(bytes(r.capture, Direction.SERVER_TO_CLIENT));
    }

    /**
     * Turns are read from the wire, keys or not: in the TLS 1.3 sessions the client's KeyUpdate is a protected
     * record of its own, indistinguishable from a request without keys, so it makes an (unanswered) turn: the
     * server's KeyUpdate rides with its next answer.
     */
    static long expectedTurns(OpenSslHarness.Capture c) {
        return c.keyLog().contains("CLIENT_TRAFFIC_SECRET_0") ? 3 : 2;
    }

    record Result(OpenSslHarness.Capture capture, PlaintextRecorder out, TlsSessionSummary summary) {}

    static Result replay(OpenSslHarness.Capture c, String keyLog) {
        return replay(c, keyLog, Integer.MAX_VALUE);
    }

    /** Feeds the capture in pieces of at most {@code piece} bytes, as TCP segments would split it. */
    static Result replay(OpenSslHarness.Capture c, String keyLog, int piece) {
        KeyLogStore store = null;
        if (keyLog != null) {
            store = new KeyLogStore(16, Long.MAX_VALUE / 4);
            store.addLines(keyLog, 0);
        }
        PlaintextRecorder out = new PlaintextRecorder();
        List<TlsSessionSummary> summaries = new ArrayList<>();
        TlsDecryptingListener l = new TlsDecryptingListener(out, store, summaries::add, TlsOptions.DEFAULTS);
        long ts = feed(l, c, piece);
        l.onClose(CloseReason.FIN, ts);
        assertThat(summaries).hasSize(1);
        return new Result(c, out, summaries.get(0));
    }

    static long feed(TlsDecryptingListener l, OpenSslHarness.Capture c, int piece) {
        long ts = 1_000_000;
        for (OpenSslHarness.Chunk ch : c.chunks()) {
            byte[] b = ch.bytes();
            for (int off = 0; off < b.length; off += piece) {
                l.onData(ch.direction(), b, off, Math.min(piece, b.length - off), ts);
            }
            ts += 100;
        }
        return ts;
    }

    /** Index of the client chunk that carries the request line {@code k} counted from the end (0 = last). */
    static int lastClientChunkCarrying(OpenSslHarness.Capture c, int fromEnd) {
        // The requests are the last client chunks before the closing alert: ..., "SELECT 1;", ["K"], "SELECT 2;",
        // close_notify. A chunk of exactly one application record of 10 plaintext bytes is a request line.
        List<Integer> requests = new ArrayList<>();
        for (int i = 0; i < c.chunks().size(); i++) {
            OpenSslHarness.Chunk ch = c.chunks().get(i);
            byte[] b = ch.bytes();
            int body = b.length - 5;
            if (ch.direction() == Direction.CLIENT_TO_SERVER && b[0] == TlsConstants.APPLICATION_DATA
                    && (body == 10 + 17 || body == 10 + 24 || body == 10 + 16)) {
                requests.add(i);
            }
        }
        return requests.get(requests.size() - 1 - fromEnd);
    }

    static long bytes(OpenSslHarness.Capture c, Direction d) {
        long n = 0;
        for (OpenSslHarness.Chunk ch : c.chunks()) {
            if (ch.direction() == d) {
                n += ch.bytes().length;
            }
        }
        return n;
    }
}
