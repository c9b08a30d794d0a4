package io.dbwire.daemon.fault;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.daemon.config.ConfigLoader;
import io.dbwire.daemon.config.SensorConfigMapper;
import io.dbwire.daemon.fault.CapturedSessions.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Seeded whole-session mutation fuzzing over the real captures of testdata (PostgreSQL, MySQL/MariaDB, and their
 * TLS sessions) through the whole engine, half the cases with the shipped defaults and half with TCP bounds tight
 * enough to be reached, under a small heap: the {@code small-heap-fuzz} surefire execution runs
 * this class with {@code -Xmx256m -XX:+ExitOnOutOfMemoryError} (an OutOfMemoryError kills the fork and fails the
 * build) and sets {@code dbwire.fuzz.small-heap}; anywhere else it is skipped. Each case is reproducible from its
 * seed alone ({@link MutationCase}); a failure names it.
 *
 * <p>The bounded CI run is {@link #mutatedSessionsStayWellBehaved} ({@value #CI_TRIES} cases, seed fixed). The long
 * run, by command (docs/operations.md):
 * {@code mvn -B -o test -pl sensor-daemon -am -Dtest=SessionMutationFuzz -Dsurefire.failIfNoSpecifiedTests=false
 * -Ddbwire.fuzz.tries=20000 -Ddbwire.fuzz.seed=1}; one case again: {@code -Ddbwire.fuzz.case=SEED}.
 */
@AddLifecycleHook(SessionMutationFuzz.SmallHeapOnly.class)
class SessionMutationFuzz {
    static final int CI_TRIES = 4_000;
    private static final String CI_SEED = "20261206";
    private static final String SMALL_HEAP = "dbwire.fuzz.small-heap";

    private static List<Session> corpus;
    private static SensorConfig shipped;
    private static SensorConfig tight;
    /** Small enough that a case of two or more sessions evicts flows and a reordered one meets the hold bound. */
    private static final String TIGHT_BOUNDS = "tcp: {max_flows: 2, max_buffered_bytes_per_flow: 4096,"
            + " max_buffered_bytes_total: 6144}\n";
    private static final FuzzTally CI_TALLY = new FuzzTally();
    private static long ciStart;

    /** The shipped defaults, as {@code replay} with an empty config file uses them. */
    private static synchronized MutationCase cases() throws Exception {
        if (corpus == null) {
            Path testdata = Path.of("..", "testdata");
            Path[] captures;
            try (Stream<Path> stories = Files.list(testdata.resolve("stories"))) {
                captures = Stream.concat(
                        Stream.of("pg-basic.pcap", "pg-basic-vxlan.pcap", "mysql-basic.pcap").map(testdata::resolve),
                        stories.filter(p -> p.toString().endsWith(".pcap")).sorted()).toArray(Path[]::new);
            }
            corpus = CapturedSessions.load(captures);
            shipped = SensorConfigMapper.toSensorConfig(new ConfigLoader().parse("{}\n"));
            tight = SensorConfigMapper.toSensorConfig(new ConfigLoader().parse(TIGHT_BOUNDS));
            System.out.printf("fuzz corpus: %d sessions from %d captures (postgres %d, mysql %d, TLS %d); secrets to"
                    + " look for: %d wire credentials, %d statement passwords, %d ClientHellos given invented keys%n",
                    corpus.size(), captures.length, count("postgres"), count("mysql"), count("TLS"),
                    corpus.stream().mapToLong(s -> s.credentials().size()).sum(),
                    corpus.stream().mapToLong(s -> s.literals().size()).sum(),
                    corpus.stream().mapToLong(s -> s.clientRandoms().size()).sum());
        }
        return new MutationCase(shipped, tight, corpus);
    }

    private static long count(String inputClass) {
        return corpus.stream().filter(s -> s.inputClass().equals(inputClass)).count();
    }

    @BeforeContainer
    static void startClock() {
        ciStart = System.nanoTime(); // the corpus is read within the first try: its time is counted too
    }

    @Property(tries = CI_TRIES, seed = CI_SEED, shrinking = ShrinkingMode.OFF)
    void mutatedSessionsStayWellBehaved(@ForAll long caseSeed) throws Exception {
        run(cases(), caseSeed, CI_TALLY);
    }

    @AfterContainer
    static void printCiTally() {
        if (corpus != null) {
            System.out.print(CI_TALLY.report("session mutation fuzz (CI)", Long.parseLong(CI_SEED),
                    (System.nanoTime() - ciStart) / 1_000_000));
        }
    }

    /** The long run: {@code dbwire.fuzz.tries} cases from {@code dbwire.fuzz.seed} (or one {@code dbwire.fuzz.case}). */
    @Test
    @EnabledIfSystemProperty(named = "dbwire.fuzz.tries", matches = "\\d+")
    void longRun() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean(SMALL_HEAP), "runs in the small-heap-fuzz execution only");
        long seed = Long.getLong("dbwire.fuzz.seed", 1L);
        int tries = Integer.getInteger("dbwire.fuzz.tries");
        MutationCase cases = cases();
        FuzzTally tally = new FuzzTally();
        long start = System.nanoTime();
        SplittableRandom seeds = new SplittableRandom(seed);
        Long only = Long.getLong("dbwire.fuzz.case");
        for (int i = 0; i < (only == null ? tries : 1); i++) {
            run(cases, only == null ? seeds.nextLong() : only, tally);
        }
        System.out.print(tally.report("session mutation fuzz (" + tries + " tries)", seed,
                (System.nanoTime() - start) / 1_000_000));
    }

    private static void run(MutationCase cases, long caseSeed, FuzzTally tally) {
        try {
            tally.add(cases.run(caseSeed));
        } catch (AssertionError e) {
            tally.crash();
            throw e;
        }
    }

    /** The fuzzer measures nothing under a large heap; the surefire execution that gives it a small one says so. */
    static final class SmallHeapOnly implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return Boolean.getBoolean(SMALL_HEAP) ? SkipResult.doNotSkip()
                    : SkipResult.skip("runs in the small-heap-fuzz execution (-Xmx256m) only");
        }
    }
}
