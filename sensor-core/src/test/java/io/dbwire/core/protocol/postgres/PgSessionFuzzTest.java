package io.dbwire.core.protocol.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.record.RecordJson;
import io.dbwire.core.tcp.Direction;
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
 * Hostile input: a real session's byte streams mutated (bytes flipped, inserted, deleted, steps truncated,
 * gaps inserted) and fed in arbitrary chunks. Only counted outcomes are allowed: no exception escapes, no
 * internal error is counted, and the records stay bounded by the client bytes that could have asked for them.
 * Seeded: a failure prints the seed and the shrunk mutation list.
 */
class PgSessionFuzzTest {

    enum Kind { FLIP, INSERT, DELETE, TRUNCATE, GAP }

    record Mutation(Kind kind, int step, int position, byte value) {}

    @Provide
    Arbitrary<Mutation> mutation() {
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 1_000),
                        Arbitraries.integers().between(0, 10_000), Arbitraries.bytes())
                .as(Mutation::new);
    }

    @Property(tries = 400, seed = "20261126")
    void mutatedSessionNeverThrowsAndStaysBounded(
            @ForAll @Size(min = 1, max = 8) List<@From("mutation") Mutation> mutations,
            @ForAll @IntRange(min = 1, max = 97) int chunk,
            @ForAll boolean midStream,
            @ForAll boolean extras) {
        // extras: protocol 3.2, long keys, FunctionCall, notifications, CopyBoth, Bind values put into the text
        SessionScript base = extras ? PgSessionProtocolExtrasTest.fuzzSession() : PgSessionResilienceTest.fullSession();
        SessionScript mutated = SessionScript.connection();
        if (midStream) {
            mutated.midStream();
        }
        List<SessionScript.Step> steps = base.steps();
        long clientBytes = 0;
        for (int i = 0; i < steps.size(); i++) {
            SessionScript.Step step = steps.get(i);
            byte[] b = step.bytes();
            for (Mutation m : mutations) {
                if (m.step() % steps.size() != i || b.length == 0) {
                    continue;
                }
                int at = m.position() % b.length;
                switch (m.kind()) {
                    case FLIP -> b = flip(b, at, m.value());
                    case INSERT -> b = insert(b, at, m.value());
                    case DELETE -> b = delete(b, at);
                    case TRUNCATE -> b = Arrays.copyOf(b, at);
                    case GAP -> mutated.gap(step.direction(), step.ts() - SessionScript.T0, 1 + at);
                }
            }
            if (step.direction() == Direction.CLIENT_TO_SERVER) {
                clientBytes += b.length;
            }
            mutated.add(new SessionScript.Step(step.direction(), b, step.ts(), 0));
        }

        SessionScript.Result r = extras
                ? mutated.run(chunk, SessionScript.config(io.dbwire.core.config.StatementMode.FULL, 16_384, 1 << 20)
                        .withBindParameters(true))
                : mutated.run(chunk);

        assertThat(r.count(PgEvent.INTERNAL_ERROR_RESYNCED)).isZero();
        assertThat((long) r.records().size()).isLessThanOrEqualTo(clientBytes / 2 + 2);
        assertThat(r.json()).allSatisfy(j -> assertThat(j).startsWith("{\"ts\":"));
    }

    @Property(tries = 200, seed = "7")
    void randomBytesInBothDirectionsNeverThrow(
            @ForAll @Size(max = 12) List<@Size(max = 300) byte[]> chunks,
            @ForAll boolean midStream) {
        SessionScript s = SessionScript.connection();
        if (midStream) {
            s.midStream();
        }
        long clientBytes = 0;
        for (int i = 0; i < chunks.size(); i++) {
            Direction d = i % 2 == 0 ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT;
            if (d == Direction.CLIENT_TO_SERVER) {
                clientBytes += chunks.get(i).length;
            }
            s.add(new SessionScript.Step(d, chunks.get(i), SessionScript.T0 + i, 0));
        }

        SessionScript.Result r = s.run();

        assertThat(r.count(PgEvent.INTERNAL_ERROR_RESYNCED)).isZero();
        assertThat((long) r.records().size()).isLessThanOrEqualTo(clientBytes / 2 + 2);
        r.records().forEach(RecordJson::toJson);
    }

    private static byte[] flip(byte[] b, int at, byte v) {
        byte[] c = b.clone();
        c[at] = (byte) (c[at] ^ (v == 0 ? 0x40 : v));
        return c;
    }

    private static byte[] insert(byte[] b, int at, byte v) {
        byte[] c = new byte[b.length + 1];
        System.arraycopy(b, 0, c, 0, at);
        c[at] = v;
        System.arraycopy(b, at, c, at + 1, b.length - at);
        return c;
    }

    private static byte[] delete(byte[] b, int at) {
        byte[] c = new byte[b.length - 1];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(b, at + 1, c, at, b.length - at - 1);
        return c;
    }
}
