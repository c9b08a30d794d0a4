package io.dbwire.daemon.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.tls.KeyLogOutcome;
import io.dbwire.core.tls.KeyLogStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyLogDirectoryTest {
    @TempDir
    Path dir;

    private final KeyLogStore store = new KeyLogStore(100, 60_000_000L);
    private long now = 1_000_000;

    /** An NSS line for client random {@code n} repeated (32 bytes) and a 48-byte master secret. */
    private static String line(int n) {
        return "CLIENT_RANDOM " + String.format("%02x", n).repeat(32) + " " + "ab".repeat(48) + "\n";
    }

    private static byte[] random(int n) {
        byte[] r = new byte[32];
        java.util.Arrays.fill(r, (byte) n);
        return r;
    }

    private void append(String name, String text) throws Exception {
        Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    @Test
    void newFilesAndAppendedLinesAreReadOncePartialLinesWait() throws Exception {
        KeyLogDirectory w = new KeyLogDirectory(dir, store, () -> now);
        append("a.keys", line(1) + "# comment\n");
        w.poll();
        assertThat(store.lookup(random(1), now)).isNotNull();
        String second = line(2);
        append("a.keys", second.substring(0, 40)); // the writer is mid-line
        w.poll();
        assertThat(store.lookup(random(2), now)).isNull();
        append("a.keys", second.substring(40));
        append("b.log", line(3));
        w.poll();
        w.poll(); // nothing new: nothing read twice
        assertThat(store.lookup(random(2), now)).isNotNull();
        assertThat(store.lookup(random(3), now)).isNotNull();
        assertThat(store.counters()).containsEntry(KeyLogOutcome.ADDED, 3L).containsEntry(KeyLogOutcome.IGNORED, 1L);
        assertThat(w.filesFollowed()).isEqualTo(2);
    }

    @Test
    void truncatedFileIsReadAgainFromItsStartAndHiddenFilesAreSkipped() throws Exception {
        KeyLogDirectory w = new KeyLogDirectory(dir, store, () -> now);
        append("a.keys", line(1) + line(2));
        append(".a.keys.swp", line(9));
        w.poll();
        Files.writeString(dir.resolve("a.keys"), line(4)); // rotated in place: shorter than the offset
        w.poll();
        assertThat(store.lookup(random(4), now)).isNotNull();
        assertThat(store.lookup(random(9), now)).isNull();
        assertThat(store.counters()).containsEntry(KeyLogOutcome.ADDED, 3L);
    }

    @Test
    void overLongAndMalformedLinesAreCountedNeverStored() throws Exception {
        KeyLogDirectory w = new KeyLogDirectory(dir, store, () -> now);
        append("a.keys", "x".repeat(5000) + "\n" + "CLIENT_RANDOM zz 00\n" + line(5));
        w.poll();
        assertThat(w.linesTooLong()).isEqualTo(1);
        assertThat(store.counters()).containsEntry(KeyLogOutcome.MALFORMED, 1L).containsEntry(KeyLogOutcome.ADDED, 1L);
        assertThat(store.lookup(random(5), now)).isNotNull();
    }

    @Test
    void linesAreDatedByTheClockAndExpireAfterTheTtl() throws Exception {
        KeyLogDirectory w = new KeyLogDirectory(dir, store, () -> now);
        append("a.keys", line(6));
        w.poll();
        now += 61_000_000L;
        assertThat(store.lookup(random(6), now)).isNull();
        assertThat(store.counters()).containsEntry(KeyLogOutcome.EXPIRED, 1L);
    }

    @Test
    void missingDirectoryIsACountedErrorNotAThrow() {
        KeyLogDirectory w = new KeyLogDirectory(dir.resolve("nope"), store, () -> now);
        w.poll();
        assertThat(w.readErrors()).isEqualTo(1);
    }
}
