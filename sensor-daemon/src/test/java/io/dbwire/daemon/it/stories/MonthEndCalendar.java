package io.dbwire.daemon.it.stories;

import static io.dbwire.daemon.it.stories.StoryCalendar.MINUTE;
import static io.dbwire.daemon.it.stories.StoryCalendar.MY_SERVER;
import static io.dbwire.daemon.it.stories.StoryCalendar.PG_SERVER;

import io.dbwire.daemon.it.stories.StoryCalendar.AttackWindow;
import io.dbwire.daemon.it.stories.StoryCalendar.Layout;
import io.dbwire.daemon.it.stories.StoryCalendar.Placement;
import io.dbwire.daemon.it.stories.StoryLabels.Label;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Five weeks across two month ends, for the monthly cadence: from Thursday 2026-10-29 to Tuesday 2026-12-01. The
 * PostgreSQL server's back office only, without the application hosts (their office-hours minutes would make the
 * pcap four times the fortnight's for nothing the month end needs): health checks to both servers every 5 minutes,
 * the nightly export at 02:00, the weekly job at 04:00 on Sundays, the office-hours report at 10:00 and 15:00 on
 * weekdays, and the month-end report (pg-monthend: the same tool and account reading the month's 60 000 orders
 * line by line) at 06:00 on the last day of each month — Saturday 31 October and Monday 30 November.
 * labels-monthend.tsv puts the same report at an unusual time and from a new client.
 */
final class MonthEndCalendar {
    static final Instant DAY_ONE = Instant.parse("2026-10-29T00:00:00Z");
    static final int DAYS = 34;
    static final LocalTime MONTH_END_AT = LocalTime.of(6, 0);

    private MonthEndCalendar() {}

    static Layout lay(int days, List<Label> labels, ToLongFunction<String> duration) {
        return StoryCalendar.lay(DAY_ONE, days, labels, duration, MonthEndCalendar::routineDay);
    }

    static LocalDate date(int day) {
        return DAY_ONE.atOffset(ZoneOffset.UTC).toLocalDate().plusDays(day - 1L);
    }

    private static void routineDay(int day, List<AttackWindow> ignored, List<Placement> out) {
        LocalDate date = date(day);
        DayOfWeek weekday = date.getDayOfWeek();
        boolean weekend = weekday == DayOfWeek.SATURDAY || weekday == DayOfWeek.SUNDAY;
        long midnight = StoryCalendar.epochMicros(DAY_ONE, day, LocalTime.MIDNIGHT);
        for (int minute = 0; minute < 24 * 60; minute += 5) {
            long t = midnight + minute * MINUTE;
            out.add(new Placement("pg-health", t + 7_000_000L, StoryCalendar.MONITOR, PG_SERVER, null));
            out.add(new Placement("my-health", t + 37_000_000L, StoryCalendar.MONITOR, MY_SERVER, null));
        }
        out.add(new Placement("pg-nightly", at(day, LocalTime.of(2, 0)), StoryCalendar.EXPORT_HOST, PG_SERVER, null));
        if (weekday == DayOfWeek.SUNDAY) {
            out.add(new Placement("pg-weekly", at(day, LocalTime.of(4, 0)), StoryCalendar.JOB_HOST, PG_SERVER, null));
        }
        if (!weekend) {
            out.add(new Placement("pg-report", at(day, LocalTime.of(10, 0)), StoryCalendar.REPORT_HOST, PG_SERVER,
                    null));
            out.add(new Placement("pg-report", at(day, LocalTime.of(15, 0)), StoryCalendar.REPORT_HOST, PG_SERVER,
                    null));
        }
        if (date.getDayOfMonth() == date.lengthOfMonth()) {
            out.add(new Placement("pg-monthend", at(day, MONTH_END_AT), StoryCalendar.REPORT_HOST, PG_SERVER, null));
        }
    }

    private static long at(int day, LocalTime time) {
        return StoryCalendar.epochMicros(DAY_ONE, day, time);
    }
}
