package io.dbwire.core.util;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Packet time is carried as microseconds since the Unix epoch everywhere in the engine. */
public final class Timestamps {
    private static final DateTimeFormatter ISO_MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {}

    /** ISO-8601 UTC with exactly six fractional digits, e.g. {@code 2026-11-26T14:00:00.123456Z}. */
    public static String formatMicros(long epochMicros) {
        long seconds = Math.floorDiv(epochMicros, 1_000_000L);
        long micros = Math.floorMod(epochMicros, 1_000_000L);
        return ISO_MICROS.format(Instant.ofEpochSecond(seconds, micros * 1_000L));
    }

    public static long secondsToMicros(long seconds) {
        return seconds * 1_000_000L;
    }
}
