package io.dbwire.core.protocol.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.record.RecordJson;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Hostile input: a real session's byte streams (plain, zlib- and zstd-compressed) mutated — bytes flipped, inserted,
 * deleted, deliveries truncated, gaps inserted — and fed in arbitrary chunks. Only counted outcomes are allowed:
 * no exception escapes, no internal error is counted, records stay bounded by the client packets that could
 * have asked for them, and every record serialises. Seeded: a failure prints the seed and the shrunk mutations.
 */
class MySqlSessionFuzzTest {

    enum Kind { FLIP, INSERT, DELETE, TRUNCATE, GAP }

    record Mutation(Kind kind, int step, int position, byte value) {}

    @Provide
    Arbitrary<Mutation> mutation() {
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 1_000),
                        Arbitraries.integers().between(0, 10_000), Arbitraries.bytes())
                .as(Mutation::new);
    }

    @Property(tries = 500, seed = "20261126")
    void mutatedSessionNeverThrowsAndStaysBounded(
            @ForAll @Size(min = 1, max = 8) List<@From("mutation") Mutation> mutations,
            @ForAll @IntRange(min = 1, max = 97) int chunk,
            @ForAll boolean midStream,
            @ForAll @IntRange(min = 0, max = 2) int compression) { // plain, zlib, zstd
        MySqlScript base = compression == 1 ? compressedSession()
                : compression == 2 ? MySqlZstdTest.session() : MySqlResilienceTest.fullSession();
        MySqlScript mutated = MySqlScript.connection();
        if (midStream) {
            mutated.midStream();
        }
        List<MySqlScript.Step> steps = base.steps();
        long clientBytes = 0;
        for (int i = 0; i < steps.size(); i++) {
            MySqlScript.Step step = steps.get(i);
            byte[] b = step.bytes();
            boolean gap = false;
            for (Mutation m : mutations) {
                if (m.step() % steps.size() != i || b.length == 0) {
                    continue;
                }
                int at = m.position() % b.length;
                switch (m.kind()) {
                    case FLIP -> b[at] ^= (byte) (m.value() | 1);
                    case INSERT -> {
                        byte[] n = new byte[b.length + 1];
                        System.arraycopy(b, 0, n, 0, at);
                        n[at] = m.value();
                        System.arraycopy(b, at, n, at + 1, b.length - at);
                        b = n;
                    }
                    case DELETE -> {
                        byte[] n = new byte[b.length - 1];
                        System.arraycopy(b, 0, n, 0, at);
                        System.arraycopy(b, at + 1, n, at, b.length - at - 1);
                        b = n;
                    }
                    case TRUNCATE -> b = Arrays.copyOf(b, at);
                    case GAP -> gap = true;
                }
            }
            if (gap) {
                mutated.gap(step.direction(), step.ts() - MySqlScript.T0, 100);
            }
            if (b.length > 0) {
                mutated.add(new MySqlScript.Step(step.direction(), b, step.ts(), 0));
                if (step.direction() == io.dbwire.core.tcp.Direction.CLIENT_TO_SERVER) {
                    clientBytes += b.length;
                }
            }
        }
        MySqlScript.Result r = mutated.run(chunk);
        assertThat(r.count(MySqlEvent.INTERNAL_ERROR_RESYNCED)).isZero();
        // Every record needs a client packet (4-byte header at least) or the server's greeting/refusal.
        assertThat((long) r.records().size()).isLessThanOrEqualTo(clientBytes / 4 + 2 + 8);
        r.records().forEach(RecordJson::toJson);
    }

    static MySqlScript compressedSession() {
        long caps = MySqlFixtures.MODERN | MySqlWire.CLIENT_COMPRESS;
        byte[] answer = MySqlBytes.cat(MySqlBytes.payload().lenenc(1).packet(1), MySqlBytes.column(2, "n"),
                MySqlBytes.textRow(3, "42"), MySqlBytes.okEof(4, 2));
        return MySqlFixtures.login(MySqlScript.connection(), caps)
                .client(1000, MySqlBytes.compressed(0, MySqlBytes.query("SELECT 42 AS n; SELECT 1")))
                .server(1100, MySqlBytes.compressed(0, answer))
                .client(2000, MySqlBytes.compressed(1, MySqlBytes.query("UPDATE t SET a = 1")))
                .server(2100, MySqlBytes.compressed(1, MySqlBytes.ok(1, 3, 2)));
    }
}
