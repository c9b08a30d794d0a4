package io.dbwire.daemon.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbwire.daemon.fault.TinyDisk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert file on a real tmpfs that fills up while the state directory (the spool) is on a healthy disk: alerts
 * raised meanwhile go to the spool, and reach the alert file once each, in order, when the disk has room again or
 * at the next start.
 */
class AlertSpoolTest {
    private static final long SPOOL_BYTES = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void alertsRaisedWhileTheFileIsFullAreSpooledThenWrittenOnceInOrder() throws Exception {
        try (TinyDisk disk = TinyDisk.mount(dir.resolve("disk"), 64 * 1024)) {
            assumeTrue(disk != null, "mounting a tmpfs needs root");
            Path alerts = disk.dir().resolve("alerts.jsonl");
            Path state = dir.resolve("state");
            AlertLog log = AlertLog.open(alerts.toString(), null, state, SPOOL_BYTES);
            try {
                raise(log, 0, 5);
                disk.fill();
                raise(log, 5, 50);
                // the file's last page still had room for a few: the first alert refused is the first spooled
                int firstSpooled = Files.readAllLines(alerts).size();
                assertThat(firstSpooled).isBetween(5, 30);
                assertThat(Files.readAllLines(state.resolve(AlertDiskSpool.FILE_NAME)))
                        .containsExactlyElementsOf(alertLines(firstSpooled, 50));
                AlertLog.Status broken = log.status();
                assertThat(broken.pending()).isEqualTo(50 - firstSpooled);
                assertThat(broken.failure()).contains("No space left");
                assertThat(broken.spool().alerts()).isEqualTo(50 - firstSpooled);
                assertThat(broken.spool().spooled()).isEqualTo(50 - firstSpooled);

                disk.free();
                awaitTrue(() -> log.status().pending() == 0); // the retry drains the spool without a new alert
                raise(log, 50, 55);
                AlertLog.Status recovered = log.status();
                assertThat(recovered.failure()).isNull();
                assertThat(recovered.spool().drained()).isEqualTo(50 - firstSpooled);
                assertThat(recovered.spool().bytes()).isZero();
            } finally {
                log.close();
            }
            assertThat(Files.readAllLines(alerts)).containsExactlyElementsOf(alertLines(0, 55));
        }
    }

    @Test
    void aSpoolLeftByAStopWhileBrokenIsDrainedAtTheNextStart() throws Exception {
        try (TinyDisk disk = TinyDisk.mount(dir.resolve("disk"), 64 * 1024)) {
            assumeTrue(disk != null, "mounting a tmpfs needs root");
            Path alerts = disk.dir().resolve("alerts.jsonl");
            Path state = dir.resolve("state");
            AlertLog first = AlertLog.open(alerts.toString(), null, state, SPOOL_BYTES);
            raise(first, 0, 3);
            disk.fill();
            raise(first, 3, 40);
            first.close(); // stopped while the disk is full: the alerts stay in the spool
            int firstSpooled = Files.readAllLines(alerts).size();
            assertThat(firstSpooled).isBetween(3, 30);
            assertThat(Files.readAllLines(state.resolve(AlertDiskSpool.FILE_NAME)))
                    .containsExactlyElementsOf(alertLines(firstSpooled, 40));

            disk.free();
            AlertLog second = AlertLog.open(alerts.toString(), null, state, SPOOL_BYTES);
            try {
                assertThat(Files.readAllLines(alerts)).containsExactlyElementsOf(alertLines(0, 40)); // at start
                raise(second, 40, 42);
                assertThat(second.status().spool().drained()).isEqualTo(40 - firstSpooled);
            } finally {
                second.close();
            }
            assertThat(Files.readAllLines(alerts)).containsExactlyElementsOf(alertLines(0, 42));
            assertThat(Files.size(state.resolve(AlertDiskSpool.FILE_NAME))).isZero();
        }
    }

    @Test
    void aFullSpoolFallsBackToMemoryAndTheOrderHolds() throws Exception {
        try (TinyDisk disk = TinyDisk.mount(dir.resolve("disk"), 64 * 1024)) {
            assumeTrue(disk != null, "mounting a tmpfs needs root");
            Path alerts = disk.dir().resolve("alerts.jsonl");
            int line = alertLines(0, 1).get(0).length() + 1;
            AlertLog log = AlertLog.open(alerts.toString(), null, dir.resolve("state"), 10L * line);
            try {
                disk.fill();
                raise(log, 0, 25);
                AlertLog.Status broken = log.status();
                assertThat(broken.spool().alerts()).isEqualTo(10);
                assertThat(broken.spool().refused()).isEqualTo(15);
                assertThat(broken.pending()).isEqualTo(25);
                assertThat(broken.dropped()).isZero();

                disk.free();
                awaitTrue(() -> log.status().pending() == 0);
                raise(log, 25, 27);
            } finally {
                log.close();
            }
            assertThat(Files.readAllLines(alerts)).containsExactlyElementsOf(alertLines(0, 27));
        }
    }

    @Test
    void alertsDrainedButNotYetRecordedAreWrittenAgainNotLost() throws Exception {
        Path state = dir.resolve("state");
        try (AlertDiskSpool spool = AlertDiskSpool.open(state, SPOOL_BYTES)) {
            for (String a : alertLines(0, 4)) {
                assertThat(spool.append(a)).isTrue();
            }
            List<AlertDiskSpool.Entry> batch = spool.peek(2);
            spool.drained(2, batch.get(0).bytes() + batch.get(1).bytes());
            spool.peek(2); // taken by the file, then a crash before drained(): the offset still points at n=2
        }
        // a torn line from a crash while appending is cut off at open
        Files.write(state.resolve(AlertDiskSpool.FILE_NAME), "{\"n\":9".getBytes(StandardCharsets.UTF_8),
                java.nio.file.StandardOpenOption.APPEND);
        try (AlertDiskSpool reopened = AlertDiskSpool.open(state, SPOOL_BYTES)) {
            assertThat(reopened.pendingAlerts()).isEqualTo(2);
            assertThat(reopened.peek(10)).extracting(AlertDiskSpool.Entry::alert)
                    .containsExactlyElementsOf(alertLines(2, 4));
        }
    }

    private static void raise(AlertLog log, int from, int to) {
        for (String a : alertLines(from, to)) {
            log.logger().info(a);
        }
    }

    private static List<String> alertLines(int from, int to) {
        List<String> out = new ArrayList<>();
        String pad = "x".repeat(300); // a few alerts fill the page the file already has
        IntStream.range(from, to).forEach(i -> out.add(
                String.format("{\"detection\":\"test\",\"n\":%04d,\"pad\":\"%s\"}", i, pad)));
        return out;
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(20);
        }
    }
}
