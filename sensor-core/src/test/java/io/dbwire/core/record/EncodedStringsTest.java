package io.dbwire.core.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EncodedStringsTest {
    private static byte[] direct(String s) {
        JsonBytes out = new JsonBytes(64);
        out.string(s);
        return Arrays.copyOf(out.array(), out.length());
    }

    private static byte[] cached(EncodedStrings cache, String s) {
        JsonBytes out = new JsonBytes(64);
        cache.write(out, s);
        return Arrays.copyOf(out.array(), out.length());
    }

    /** Kept strings, equal copies, one-offs, slot collisions and escapes: always the bytes of an uncached write. */
    @Test
    void writesWhatAnUncachedWriteWritesWhateverTheCacheHolds() {
        long seed = 20261206L;
        Random random = new Random(seed);
        EncodedStrings cache = new EncodedStrings();
        List<String> recurring = new ArrayList<>();
        for (int i = 0; i < 3 * EncodedStrings.SLOTS; i++) {
            recurring.add("SELECT c FROM sbtest" + i + " WHERE id=? \"q\" \\ \u00e9\u4e2d\n\t" + (char) (i % 32));
        }
        for (int n = 0; n < 200_000; n++) {
            String s = random.nextInt(4) == 0
                    ? "one-off " + random.nextLong()
                    : new String(recurring.get(random.nextInt(recurring.size()))); // equal, not the same instance
            assertThat(cached(cache, s)).as("seed %d, %s", seed, s).isEqualTo(direct(s));
        }
        assertThat(cached(cache, null)).isEqualTo(direct(null));
        assertThat(cached(cache, "")).isEqualTo(direct(""));
        String longText = "x".repeat(EncodedStrings.MAX_CHARS + 1);
        assertThat(cached(cache, longText)).isEqualTo(direct(longText));
    }
}
