package io.dbwire.core.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link RecordJsonReader} is the inverse of {@link RecordJson}: every field of every block read back equal, and
 * every golden record line read and written again byte for byte (a field added to RecordJson and not to the reader
 * fails here).
 */
class RecordJsonReaderTest {
    private static final long SEED = 20261206L;
    private static final String[] PIECES = {"SELECT ", "* FROM t WHERE id = ?", "\"", "\\", "/", "\b", "\f", "\n",
        "\r", "\t", "\u0000", "\u001f", "\u007f", "é", "€", "中文", "😀", "'quoted'", "  ", ""};

    @Test
    void randomRecordsOfEveryKindReadBackEqual() throws Exception {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 5_000; i++) {
            TransactionRecord r = randomRecord(random);
            String json = RecordJson.toJson(r);
            TransactionRecord back = RecordJsonReader.read(json);
            assertThat(back).as("seed %d record %d: %s", SEED, i, json).isEqualTo(r);
            assertThat(RecordJson.toJson(back)).isEqualTo(json);
        }
    }

    @Test
    void everyGoldenRecordLineReadsAndWritesBackByteForByte() throws Exception {
        List<Path> goldens;
        try (Stream<Path> files = Files.list(Path.of("../testdata/golden"))) {
            goldens = files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
        assertThat(goldens).isNotEmpty();
        int lines = 0;
        for (Path golden : goldens) {
            for (String line : Files.readAllLines(golden)) {
                if (!line.contains("\"kind\":")) {
                    continue; // an alert line; goldens hold both
                }
                assertThat(RecordJson.toJson(RecordJsonReader.read(line))).as(golden.toString()).isEqualTo(line);
                lines++;
            }
        }
        assertThat(lines).isGreaterThan(50);
    }

    @Test
    void keysTheReaderDoesNotKnowAreSkipped() throws Exception {
        TransactionRecord r = randomRecord(new SplittableRandom(1));
        String json = RecordJson.toJson(r);
        String newer = json.substring(0, json.length() - 1) + ",\"later_field\":{\"a\":[1,2,{\"b\":null}]}}";
        assertThat(RecordJsonReader.read(newer)).isEqualTo(r);
    }

    @Test
    void whatIsNotARecordIsRefusedWithTheFieldNamed() throws IOException {
        String good = RecordJson.toJson(randomRecord(new SplittableRandom(2)));
        assertThatThrownBy(() -> RecordJsonReader.read("not json")).hasMessageStartingWith("record: not JSON");
        assertThatThrownBy(() -> RecordJsonReader.read("[1]")).hasMessage("record: not a JSON object");
        assertThatThrownBy(() -> RecordJsonReader.read(good + "{}")).hasMessage("record: text after the object");
        assertThatThrownBy(() -> RecordJsonReader.read(good.replaceFirst("\"kind\":\"[a-z]+\"", "\"kind\":\"x\"")))
                .hasMessage("kind: x (expected: statement, login, tls or cancel)");
        assertThatThrownBy(() -> RecordJsonReader.read(good.replaceFirst("\"ts\":\"[^\"]+\"", "\"ts\":\"yesterday\"")))
                .hasMessage("ts: yesterday (expected: an ISO-8601 UTC time)");
        assertThatThrownBy(() -> RecordJsonReader.read(good.replaceFirst("\"connection_id\":\\d+", "\"connection_id\":\"7\"")))
                .hasMessage("connection_id: 7 (expected: a whole number or null)");
        assertThatThrownBy(() -> RecordJsonReader.read("{\"kind\":\"login\",\"protocol\":\"mysql\"}"))
                .hasMessage("ts: missing (expected: a string)");
        assertThatThrownBy(() -> RecordJsonReader.read("[[[[[[[[[[[[]]]]]]]]]]]]"))
                .hasMessage("record: not a JSON object");
        assertThatThrownBy(() -> RecordJsonReader.read("{\"a\":[[[[[[[[[[[[]]]]]]]]]]]]}"))
                .hasMessageContaining("nested deeper than");
    }

    private static TransactionRecord randomRecord(SplittableRandom random) {
        RecordKind kind = RecordKind.values()[random.nextInt(RecordKind.values().length)];
        DatabaseProtocol protocol = random.nextBoolean() ? DatabaseProtocol.POSTGRESQL : DatabaseProtocol.MYSQL;
        long ts = 1_764_950_400_000_000L + random.nextLong(400L * 86_400_000_000L);
        return TransactionRecord.builder(kind, protocol).ts(ts)
                .connection(random.nextLong(1L << 40), random.nextInt(4) == 0 ? -1 : random.nextInt(1 << 24))
                .client(new Endpoint(text(random), random.nextInt(65536)))
                .server(new Endpoint(text(random), random.nextInt(65536)))
                .session(new SessionInfo(text(random), text(random), text(random), random.nextBoolean(),
                        random.nextBoolean(), random.nextBoolean(), text(random), text(random), text(random),
                        random.nextInt(3) == 0 ? textMap(random) : null))
                .statement(random.nextInt(5) == 0 ? null
                        : new StatementInfo(text(random), text(random), text(random), random.nextInt(3) == 0
                                // a trace id always: an attribution with nothing in it is written as none
                                ? new StatementAttribution(textMap(random), "4bf92f3577b34da6a3ce929d0e0e4736",
                                        text(random)) : null, random.nextInt(4) == 0 ? text(random) : null))
                .request(random.nextInt(5) == 0 ? null : new RequestInfo(random.nextLong(1L << 33)))
                .response(random.nextInt(5) == 0 ? null : new ResponseInfo(maybe(random), maybe(random),
                        random.nextLong(1L << 40), maybe(random), maybe(random), text(random), text(random),
                        random.nextInt(3) == 0 ? sensitive(random) : null))
                .gaps(random.nextInt(4) == 0 ? new GapInfo(random.nextLong(1L << 30), random.nextLong(1L << 30)) : null)
                .status(RecordStatus.values()[random.nextInt(RecordStatus.values().length)])
                .error(random.nextInt(4) == 0 ? new ErrorInfo(text(random), text(random)) : null)
                .tls(kind == RecordKind.TLS ? tls(random, ts) : null)
                .build();
    }

    /** Up to four entries (keys never null). */
    private static Map<String, String> textMap(SplittableRandom random) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            String key = text(random);
            m.put(key == null ? "k" + i : key, text(random) == null ? "" : "v" + i);
        }
        return m;
    }

    private static SensitiveCounts sensitive(SplittableRandom random) {
        List<SensitiveCounts.Column> columns = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            columns.add(new SensitiveCounts.Column(random.nextInt(64), random.nextLong(1L << 40),
                    random.nextLong(100), random.nextLong(1L << 20)));
        }
        return new SensitiveCounts(random.nextLong(1L << 40), random.nextLong(100), random.nextLong(1L << 20),
                random.nextLong(10), random.nextLong(10), columns);
    }

    private static TlsInfo tls(SplittableRandom random, long ts) {
        List<String> alpn = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            alpn.add(text(random) == null ? "" : "h" + i);
        }
        return new TlsInfo(text(random), text(random), text(random), alpn, text(random), text(random), text(random),
                text(random),
                random.nextBoolean() ? null : new TlsInfo.Certificate(text(random), text(random),
                        ts + random.nextLong(1L << 40)),
                random.nextInt(3) == 0 ? -1 : random.nextLong(1L << 30),
                new TlsInfo.Flow(random.nextLong(1L << 40), random.nextLong(1L << 20)),
                new TlsInfo.Flow(random.nextLong(1L << 40), random.nextLong(1L << 20)),
                new TlsInfo.Turns(random.nextLong(1000), random.nextLong(1L << 30), random.nextLong(1L << 30),
                        random.nextLong(1L << 20), random.nextLong(1L << 20), random.nextLong(1L << 30),
                        random.nextInt(3) == 0 ? -1 : random.nextLong(1L << 30), random.nextLong(100)),
                random.nextBoolean(), counts(random, "decrypted", "no_keys", "tag_failure"),
                counts(random, "record_too_long", "bad_handshake"));
    }

    private static Map<String, Long> counts(SplittableRandom random, String... names) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String n : names) {
            if (random.nextBoolean()) {
                out.put(n, random.nextLong(1L << 40));
            }
        }
        return out;
    }

    private static Long maybe(SplittableRandom random) {
        return random.nextInt(3) == 0 ? null : random.nextLong(1L << (1 + random.nextInt(62)));
    }

    private static String text(SplittableRandom random) {
        if (random.nextInt(8) == 0) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (int n = random.nextInt(6); n > 0; n--) {
            b.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return b.toString();
    }
}
