package io.dbwire.core.detect.policy;

import io.dbwire.core.config.PolicyConfig;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Weekly hours in a time zone, evaluated on a record's packet time (never the wall clock). A span whose end is
 * before its start runs past midnight and belongs to the day it starts on: {@code fri 22:00-02:00} holds Saturday
 * 01:00.
 */
final class WeeklyHours {
    private static final List<String> DAY_NAMES = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    private final ZoneId zone;
    private final Set<DayOfWeek> days;
    private final int fromMinute;
    private final int toMinute;

    private WeeklyHours(ZoneId zone, Set<DayOfWeek> days, int fromMinute, int toMinute) {
        this.zone = zone;
        this.days = days;
        this.fromMinute = fromMinute;
        this.toMinute = toMinute;
    }

    /** @param defaultZone the zone when {@code h.timeZone()} is null (a window's slot), or null to require one */
    static WeeklyHours parse(String where, PolicyConfig.Hours h, ZoneId defaultZone) {
        ZoneId zone = h.timeZone() == null ? defaultZone : zone(where + ".time_zone", h.timeZone());
        if (zone == null) {
            throw new IllegalArgumentException(where + ".time_zone: missing (expected: a zone such as UTC or Europe/Berlin)");
        }
        return new WeeklyHours(zone, days(where + ".days", h.days()), minute(where + ".from", h.from(), false),
                minute(where + ".to", h.to(), true));
    }

    static ZoneId zone(String where, String id) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException | NullPointerException e) {
            throw new IllegalArgumentException(where + ": " + id + " (expected: a zone such as UTC or Europe/Berlin)");
        }
    }

    boolean contains(long tsMicros) {
        ZonedDateTime t = local(tsMicros, zone);
        int minute = t.getHour() * 60 + t.getMinute();
        if (fromMinute <= toMinute) {
            return minute >= fromMinute && minute < toMinute && days.contains(t.getDayOfWeek());
        }
        // past midnight: the late part belongs to today, the early part to yesterday's span
        return minute >= fromMinute && days.contains(t.getDayOfWeek())
                || minute < toMinute && days.contains(t.getDayOfWeek().minus(1));
    }

    ZoneId zone() {
        return zone;
    }

    static ZonedDateTime local(long tsMicros, ZoneId zone) {
        return Instant.ofEpochSecond(Math.floorDiv(tsMicros, 1_000_000L), Math.floorMod(tsMicros, 1_000_000L) * 1000L)
                .atZone(zone);
    }

    /** Epoch microseconds of a local date-time {@code yyyy-MM-ddTHH:mm} in {@code zone}. */
    static long micros(String where, String localDateTime, ZoneId zone) {
        try {
            Instant i = LocalDateTime.parse(localDateTime).atZone(zone).toInstant();
            return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
        } catch (DateTimeException | NullPointerException e) {
            throw new IllegalArgumentException(where + ": " + localDateTime + " (expected: yyyy-MM-ddTHH:mm)");
        }
    }

    private static Set<DayOfWeek> days(String where, List<String> names) {
        if (names == null || names.isEmpty()) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
        for (String n : names) {
            String[] range = n.trim().toLowerCase(Locale.ROOT).split("-", -1);
            int a = DAY_NAMES.indexOf(range[0]);
            int b = range.length == 2 ? DAY_NAMES.indexOf(range[1]) : range.length == 1 ? a : -1;
            if (a < 0 || b < 0) {
                throw new IllegalArgumentException(where + ": " + n + " (expected: mon..sun or a range such as mon-fri)");
            }
            for (int d = a; ; d = (d + 1) % 7) {
                out.add(DayOfWeek.of(d + 1));
                if (d == b) {
                    break;
                }
            }
        }
        return out;
    }

    private static int minute(String where, String hhmm, boolean endOfDayAllowed) {
        if (endOfDayAllowed && "24:00".equals(hhmm)) {
            return 24 * 60;
        }
        try {
            LocalTime t = LocalTime.parse(hhmm);
            return t.getHour() * 60 + t.getMinute();
        } catch (DateTimeException | NullPointerException e) {
            throw new IllegalArgumentException(where + ": " + hhmm + " (expected: HH:mm"
                    + (endOfDayAllowed ? " or 24:00)" : ")"));
        }
    }
}
