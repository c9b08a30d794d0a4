package io.dbwire.daemon.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.daemon.config.DaemonConfig.Rotation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several threads write lines while the files roll over by size (and, for records, by day) and an outside
 * "logrotate" keeps moving the active file away and asking for a reopen: every line written is found exactly
 * once, whole, across all the files.
 */
class RotationUnderLoadTest {
    private static final int THREADS = 4;
    private static final int LINES_PER_THREAD = 5_000;
    private static final Rotation SMALL = new Rotation(16_384L, 14, 1L << 30);

    @TempDir
    Path dir;

    @Test
    void recordsFileRolledOverBySizeAndDayLosesAndCutsNoLine() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T23:59:59Z"));
        RollingLineFile file = new RollingLineFile(dir.resolve("records.jsonl"), SMALL, clock);
        try (JsonLineWriter w = new JsonLineWriter(file)) {
            writeUnderRotation(w::writeLine, null, null, () -> clock.set(Instant.parse("2026-12-06T00:00:01Z")));
        }
        assertEveryLineOnce("records.jsonl");
        assertThat(file.archives()).extracting(a -> a.day().toString()).contains("2026-12-05", "2026-12-06");
    }

    @Test
    void recordsFileMovedByLogrotateAndReopenedLosesAndCutsNoLine() throws Exception {
        Path path = dir.resolve("records.jsonl");
        try (JsonLineWriter w = new JsonLineWriter(new RollingLineFile(path, null, Clock.systemUTC()))) {
            writeUnderRotation(w::writeLine, w::reopen, path, () -> { });
        }
        assertEveryLineOnce("records.jsonl");
    }

    @Test
    void alertLogRolledOverBySizeLosesAndCutsNoLine() throws Exception {
        Path path = dir.resolve("alerts.jsonl");
        try (AlertLog log = AlertLog.open(path.toString(), SMALL)) {
            writeUnderRotation(line -> log.logger().info(line), null, null, () -> { });
        }
        assertEveryLineOnce("alerts.jsonl");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.matches("alerts\\.jsonl\\.\\d{4}-\\d{2}-\\d{2}\\.\\d+"));
        }
    }

    @Test
    void alertLogMovedByLogrotateAndReopenedLosesAndCutsNoLine() throws Exception {
        Path path = dir.resolve("alerts.jsonl");
        try (AlertLog log = AlertLog.open(path.toString(), null)) {
            writeUnderRotation(line -> log.logger().info(line), () -> {
                try {
                    log.reopen();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }, path, () -> { });
        }
        assertEveryLineOnce("alerts.jsonl");
    }

    @Test
    void retentionDeletesTheOldestBeyondTheTotalAndTheDays() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
        RollingLineFile file = new RollingLineFile(dir.resolve("r.jsonl"), new Rotation(1_024L, 3, 4_096L), clock);
        String line = "{\"pad\":\"" + "x".repeat(500) + "\"}";
        try (JsonLineWriter w = new JsonLineWriter(file)) {
            for (int day = 0; day < 6; day++) {
                for (int i = 0; i < 4; i++) {
                    w.writeLine(line); // two lines per file: two files a day
                }
                clock.advance(Duration.ofDays(1));
            }
            w.writeLine(line); // rolls over into day 6
        }
        List<RollingLineFile.Archive> kept = file.archives();
        long total = kept.stream().mapToLong(RollingLineFile.Archive::size).sum();
        assertThat(total).isLessThanOrEqualTo(4_096L);
        assertThat(kept).isNotEmpty().allSatisfy(a -> assertThat(a.day()).isAfterOrEqualTo(
                java.time.LocalDate.parse("2026-12-04")));
        // The newest archive (the last day written) survives; the first days are gone.
        assertThat(kept).extracting(a -> a.day().toString()).contains("2026-12-06").doesNotContain("2026-12-01");
    }

    /**
     * Writer threads, plus (when {@code reopen} is given) this thread moving {@code active} away and reopening
     * while they write, as logrotate with a SIGHUP would. Built-in rotation and logrotate are either/or.
     */
    private void writeUnderRotation(Consumer<String> write, Runnable reopen, Path active, Runnable midway)
            throws Exception {
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int n = 0; n < LINES_PER_THREAD; n++) {
                    write.accept("{\"t\":" + thread + ",\"n\":" + n + ",\"pad\":\"" + "y".repeat(n % 200) + "\"}");
                    if (thread == 0 && n == LINES_PER_THREAD / 2) {
                        midway.run();
                    }
                }
            });
            w.setUncaughtExceptionHandler((th, e) -> failures.add(e));
            writers.add(w);
            w.start();
        }
        start.countDown();
        int moved = 0;
        while (reopen != null && writers.stream().anyMatch(Thread::isAlive) && moved < 50) {
            Thread.sleep(2);
            try {
                Files.move(active, active.resolveSibling(active.getFileName() + ".moved-" + moved));
                moved++;
                reopen.run();
            } catch (NoSuchFileException e) {
                // not there this instant (being rolled over): as logrotate would, try again later
            }
        }
        for (Thread w : writers) {
            w.join();
        }
        assertThat(failures).isEmpty();
        assertThat(reopen == null || moved > 0).as("logrotate moved the file").isTrue();
    }

    private void assertEveryLineOnce(String prefix) throws IOException {
        Set<String> seen = new HashSet<>();
        long lines = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                String text = Files.readString(p, StandardCharsets.UTF_8);
                if (text.isEmpty()) {
                    continue; // reopened, then moved again before a line came
                }
                assertThat(text).as(p.toString()).endsWith("\n");
                for (String line : text.split("\n")) {
                    assertThat(line).as(p.toString()).matches("\\{\"t\":\\d,\"n\":\\d+,\"pad\":\"y*\"}");
                    assertThat(seen.add(line.substring(0, line.indexOf(",\"pad\"")))).as("duplicate " + line).isTrue();
                    lines++;
                }
            }
        }
        assertThat(lines).isEqualTo((long) THREADS * LINES_PER_THREAD);
    }

    /** A clock the test moves: the records file rolls over at midnight UTC. */
    private static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void set(Instant t) {
            now.set(t);
        }

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
