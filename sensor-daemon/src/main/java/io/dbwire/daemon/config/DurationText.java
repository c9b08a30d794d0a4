package io.dbwire.daemon.config;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations in dbwire.yml: a whole number of seconds ({@code 600}) or a number with one unit suffix
 * ({@code 30s}, {@code 10m}, {@code 1h}, {@code 7d}). Anything else is rejected, never guessed.
 */
public final class DurationText {
    public static final String EXPECTED = "a duration like 30s, 10m, 1h, 7d or whole seconds";

    private DurationText() {}

    /** The duration, or null when the text is not one. */
    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            return null;
        }
        char unit = t.charAt(t.length() - 1);
        long perUnit;
        String digits = t.substring(0, t.length() - 1);
        switch (unit) {
            case 's': perUnit = 1; break;
            case 'm': perUnit = 60; break;
            case 'h': perUnit = 3_600; break;
            case 'd': perUnit = 86_400; break;
            default:
                perUnit = 1;
                digits = t;
        }
        if (digits.isEmpty() || digits.length() > 12 || !digits.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Duration.ofSeconds(Long.parseLong(digits) * perUnit);
    }

    /** The shortest exact form: {@code 1h} rather than {@code 3600}, {@code 90s} rather than {@code 1.5m}. */
    public static String format(Duration d) {
        long s = d.getSeconds();
        if (s != 0 && s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s != 0 && s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
