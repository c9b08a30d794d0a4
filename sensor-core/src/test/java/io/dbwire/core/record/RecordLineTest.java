package io.dbwire.core.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The byte encoder must give exactly the Jackson form of {@link RecordJson} plus a newline. */
class RecordLineTest {
    private static final long SEED = 20261205L;
    /** Characters that exercise every escaping and encoding branch, mixed with plain SQL. */
    private static final String[] PIECES = {"SELECT ", "* FROM t WHERE id = ?", "\"", "\\", "/", "\b", "\f", "\n",
        "\r", "\t", "\u0000", "\u0001", "\u001f", "\u007f", "é", "ß", "€", "中文", "😀", "\ud800", "x\udc00y",
        "\ud83d", "'quoted'", "  ", ""};

    private final RecordLine line = new RecordLine();

    @Test
    void manyRandomRecordsGiveTheJacksonBytes() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 20_000; i++) {
            TransactionRecord r = randomRecord(random);
            assertSameBytes(r, "seed " + SEED + " record " + i);
        }
    }

    @Test
    void gapsAreWrittenOnlyOnRecordsAGapCutShort() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        for (int i = 0; i < 2_000; i++) {
            TransactionRecord r = randomRecord(random).toBuilder()
                    .gaps(new GapInfo(random.nextLong(1L << 40), random.nextInt(3) == 0 ? 0 : Long.MAX_VALUE - i))
                    .status(RecordStatus.INCOMPLETE).build();
            assertSameBytes(r, "seed " + (SEED + 1) + " record " + i);
            assertThat(RecordJson.toJson(r)).endsWith(",\"gaps\":{\"client_bytes\":" + r.gaps().clientBytes()
                    + ",\"server_bytes\":" + r.gaps().serverBytes() + "}}");
        }
        assertThat(RecordJson.toJson(randomRecord(random))).doesNotContain("\"gaps\"");
    }

    @Test
    void timestampsAcrossSecondsYearsAndTheEpochMatch() {
        long[] times = {0, 1, 999_999, 1_000_000, -1, -1_000_001, 1_764_950_400_123_456L, 1_764_950_400_999_999L,
            1_764_950_401_000_000L, 253_402_300_799_999_999L, 253_402_300_800_000_000L, -62_135_596_800_000_000L};
        for (long ts : times) {
            assertSameBytes(record(ts, RecordKind.LOGIN, "mysql", 7, -1, new Endpoint("::1", 1),
                    new Endpoint("10.0.0.1", 3306), new SessionInfo(null, null, null, false, true), null, null,
                    null, RecordStatus.values()[0], null), "ts " + ts);
        }
    }

    @Test
    void extremeNumbersMatch() {
        long[] values = {0, 9, 10, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE, -1, -10, Integer.MAX_VALUE};
        for (long v : values) {
            assertSameBytes(record(1, RecordKind.STATEMENT, "postgresql", v, Integer.MAX_VALUE,
                    new Endpoint("a", Integer.MIN_VALUE), new Endpoint("b", 0),
                    new SessionInfo("u", "d", "a", true, false, true, "md5"), new StatementInfo(null, null, null),
                    new RequestInfo(v), new ResponseInfo(v, v, v, v, v), RecordStatus.values()[1],
                    new ErrorInfo("", "")), "value " + v);
        }
    }

    /**
     * Records of recurring connections and statements, as real traffic has them: the kept connection and
     * statement blocks must give the bytes of a fresh encoding, also when a connection's session changes, when
     * more connections or statements than slots compete, and for equal statements that are other objects.
     */
    @Test
    void recurringConnectionsAndStatementsGiveTheJacksonBytes() {
        long seed = SEED + 2;
        SplittableRandom random = new SplittableRandom(seed);
        int connectionCount = ConnectionBlocks.SLOTS + 44;
        TransactionRecord[] connections = new TransactionRecord[connectionCount];
        for (int c = 0; c < connectionCount; c++) {
            connections[c] = randomRecord(random).toBuilder().connection(c * 2L + 1, random.nextInt(3) - 1).build();
        }
        StatementInfo[] statements = new StatementInfo[StatementBlocks.SLOTS + 100];
        for (int i = 0; i < statements.length; i++) {
            StatementInfo s = randomRecord(random).statement();
            statements[i] = s != null ? s : new StatementInfo("SELECT " + i, null, null);
        }
        for (int i = 0; i < 50_000; i++) {
            int c = random.nextInt(random.nextBoolean() ? 8 : connectionCount);
            TransactionRecord base = connections[c];
            if (random.nextInt(50) == 0) { // the session learned something: a new object from now on
                SessionInfo was = base.session();
                base = base.toBuilder().session(new SessionInfo(text(random), was.database(), was.application(),
                        was.tls(), was.midStream(), was.decrypted(), was.authMethod(), was.protocolVersion(),
                        was.clientTool(), random.nextInt(4) == 0 ? textMap(random) : null)).build();
                connections[c] = base;
            }
            StatementInfo s = statements[random.nextInt(random.nextBoolean() ? 4 : statements.length)];
            if (random.nextInt(3) == 0) { // an equal statement, other String objects
                s = new StatementInfo(copy(s.text()), copy(s.fingerprint()), copy(s.operation()), s.attribution(),
                        copy(s.textUnknown()));
            } else if (random.nextInt(10) == 0) { // same text, another operation (PostgreSQL's tag verb)
                s = s.withOperation(text(random));
            }
            TransactionRecord r = base.toBuilder().ts(base.tsMicros() + i).statement(random.nextInt(20) == 0 ? null : s)
                    .build();
            assertSameBytes(r, "seed " + seed + " record " + i);
        }
    }

    @Test
    void numbersAroundEveryPowerOfTenMatchLongToString() {
        JsonBytes out = new JsonBytes(32);
        SplittableRandom random = new SplittableRandom(SEED + 3);
        long p = 1;
        for (int i = 0; i <= 19; i++) {
            for (long v : new long[] {p - 1, p, p + 1, -p, -p + 1, -p - 1, random.nextLong(), random.nextLong(p)}) {
                out.reset();
                out.number(v);
                assertThat(new String(out.array(), 0, out.length(), StandardCharsets.US_ASCII)).as("%d", v)
                        .isEqualTo(Long.toString(v));
            }
            p = i < 18 ? p * 10 : Long.MAX_VALUE;
        }
        for (long v : new long[] {Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE, Integer.MAX_VALUE,
            Integer.MAX_VALUE + 1L, Integer.MIN_VALUE}) {
            out.reset();
            out.number(v);
            assertThat(new String(out.array(), 0, out.length(), StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
        }
    }

    private static String copy(String s) {
        return s == null ? null : new String(s);
    }

    private void assertSameBytes(TransactionRecord r, String what) {
        byte[] expected = (RecordJson.toJson(r) + "\n").getBytes(StandardCharsets.UTF_8);
        line.encode(r);
        byte[] actual = Arrays.copyOf(line.array(), line.length());
        assertThat(new String(actual, StandardCharsets.UTF_8)).as(what)
                .isEqualTo(new String(expected, StandardCharsets.UTF_8));
        assertThat(actual).as(what).isEqualTo(expected);
    }

    private static TransactionRecord randomRecord(SplittableRandom random) {
        RecordKind[] kinds = {RecordKind.STATEMENT, RecordKind.LOGIN, RecordKind.CANCEL};
        RecordStatus[] statuses = RecordStatus.values();
        long ts = 1_764_950_400_000_000L + random.nextLong(400L * 86_400_000_000L);
        return record(ts, kinds[random.nextInt(kinds.length)],
                random.nextBoolean() ? "postgresql" : "mysql", random.nextLong(1L << 40),
                random.nextInt(4) == 0 ? -1 : random.nextInt(1 << 24),
                new Endpoint(text(random), random.nextInt(65536)), new Endpoint(text(random), random.nextInt(65536)),
                new SessionInfo(text(random), text(random), text(random), random.nextBoolean(),
                        random.nextBoolean(), random.nextBoolean(), text(random), text(random), text(random),
                        random.nextInt(3) == 0 ? textMap(random) : null),
                random.nextInt(5) == 0 ? null : new StatementInfo(text(random), text(random), text(random),
                        random.nextInt(3) == 0 ? new StatementAttribution(textMap(random), text(random),
                                text(random)) : null, random.nextInt(4) == 0 ? text(random) : null),
                random.nextInt(5) == 0 ? null : new RequestInfo(random.nextLong(1L << 33)),
                random.nextInt(5) == 0 ? null : new ResponseInfo(maybe(random), maybe(random),
                        random.nextLong(1L << 40), maybe(random), maybe(random), text(random), text(random),
                        random.nextInt(3) == 0 ? sensitive(random) : null),
                statuses[random.nextInt(statuses.length)],
                random.nextInt(4) == 0 ? new ErrorInfo(text(random), text(random)) : null);
    }

    /** Up to four entries; keys and values from the escaping pieces (keys never null). */
    private static java.util.Map<String, String> textMap(SplittableRandom random) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            String key = text(random);
            m.put(key == null ? "k" + i : key, text(random));
        }
        return m;
    }

    private static SensitiveCounts sensitive(SplittableRandom random) {
        java.util.List<SensitiveCounts.Column> columns = new java.util.ArrayList<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            columns.add(new SensitiveCounts.Column(random.nextInt(64), random.nextLong(1L << 40),
                    random.nextLong(100), random.nextLong(1L << 20)));
        }
        return new SensitiveCounts(random.nextLong(1L << 40), random.nextLong(100), random.nextLong(1L << 20),
                random.nextLong(10), random.nextLong(10), columns);
    }

    /** A record from all its parts, the protocol by its JSON name. */
    private static TransactionRecord record(long ts, RecordKind kind, String protocol, long connection, int vni,
            Endpoint client, Endpoint server, SessionInfo session, StatementInfo statement, RequestInfo request,
            ResponseInfo response, RecordStatus status, ErrorInfo error) {
        DatabaseProtocol p = "mysql".equals(protocol) ? DatabaseProtocol.MYSQL : DatabaseProtocol.POSTGRESQL;
        return TransactionRecord.builder(kind, p).ts(ts).connection(connection, vni).client(client).server(server)
                .session(session).statement(statement).request(request).response(response).status(status)
                .error(error).build();
    }

    private static Long maybe(SplittableRandom random) {
        return random.nextInt(3) == 0 ? null : random.nextLong(1L << (1 + random.nextInt(62)));
    }

    private static String text(SplittableRandom random) {
        if (random.nextInt(8) == 0) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            b.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return b.toString();
    }
}
