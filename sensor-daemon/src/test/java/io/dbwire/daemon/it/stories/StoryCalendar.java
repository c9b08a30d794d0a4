package io.dbwire.daemon.it.stories;

import io.dbwire.core.record.Endpoint;
import io.dbwire.daemon.it.stories.StoryLabels.Label;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Lays copies of the recorded stories over days of packet time, the way a shop's two database servers see a
 * fortnight:
 * <ul>
 *   <li>three web application hosts on PostgreSQL and two inventory hosts on MariaDB, one copy of their one-minute
 *   recording per host and minute during office hours (08:00-18:00 UTC on weekdays, 10:00-16:00 at weekends);</li>
 *   <li>health checks (RDS admin user, load balancer) to both servers every 5 minutes, day and night;</li>
 *   <li>the office-hours report at 10:00 and 15:00 on weekdays; the nightly export at 02:00 every night; the weekly
 *   job at 04:00 on Sundays; a deploy at 07:30 on day 9, after which the application sends its new statements;</li>
 *   <li>the attacks where labels.tsv puts them (days 11-13).</li>
 * </ul>
 * Day 1 is Monday 2026-11-02. Everything is deterministic: the same inputs give the same pcap.
 */
final class StoryCalendar {
    static final Instant DAY_ONE = Instant.parse("2026-11-02T00:00:00Z");
    static final long MINUTE = 60_000_000L;
    static final long DAY = 24 * 60 * MINUTE;
    static final Endpoint PG_SERVER = new Endpoint("10.0.0.20", 5432);
    static final Endpoint MY_SERVER = new Endpoint("10.0.0.30", 3306);
    static final List<String> PG_APP_HOSTS = List.of("10.1.0.11", "10.1.0.12", "10.1.0.13");
    static final List<String> MY_APP_HOSTS = List.of("10.2.0.11", "10.2.0.12");
    static final String MONITOR = "10.0.5.5";
    static final String REPORT_HOST = "10.1.0.30";
    static final String EXPORT_HOST = "10.1.0.40";
    static final String JOB_HOST = "10.1.0.41";
    static final String CI_HOST = "10.1.0.50";
    static final int DEPLOY_DAY = 9;
    static final LocalTime DEPLOY_AT = LocalTime.of(7, 30);
    /** The replacement client of a label that stands in for the PostgreSQL application's own traffic. */
    static final String PG_APP_HOSTS_LABEL = "pg-app-hosts";

    /** One copy of a story: when it starts, which client sends it, and the attack label it carries, if any. */
    record Placement(String story, long startMicros, String client, Endpoint server, AttackWindow attack) {}

    /** An attack as laid out: its label, clients, server and packet-time span. */
    record AttackWindow(Label label, List<String> clients, Endpoint server, long startMicros, long endMicros) {}

    /** The layout: every copy in start order, and the attacks. */
    record Layout(List<Placement> placements, List<AttackWindow> attacks, long startMicros, long endMicros) {}

    /** What a calendar lays on each day besides the attacks ({@code appReplacements}: attacks in place of the app). */
    interface RoutineDay {
        void lay(int day, List<AttackWindow> appReplacements, List<Placement> out);
    }

    private StoryCalendar() {}

    static long epochMicros(int day, LocalTime at) {
        return epochMicros(DAY_ONE, day, at);
    }

    static long epochMicros(Instant dayOne, int day, LocalTime at) {
        return dayOne.getEpochSecond() * 1_000_000L + (day - 1) * DAY + at.toSecondOfDay() * 1_000_000L;
    }

    static Endpoint server(String protocol) {
        return protocol.equals("postgresql") ? PG_SERVER : MY_SERVER;
    }

    /**
     * @param days     how many days to lay out (attacks on later days are left out)
     * @param labels   labels.tsv
     * @param duration each story's capture length in microseconds
     */
    static Layout lay(int days, List<Label> labels, ToLongFunction<String> duration) {
        return lay(DAY_ONE, days, labels, duration, StoryCalendar::routineDay);
    }

    /** Lays the attacks of {@code labels} (their days counted from {@code dayOne}) and {@code routine}'s days. */
    static Layout lay(Instant dayOne, int days, List<Label> labels, ToLongFunction<String> duration,
            RoutineDay routine) {
        Map<String, Label> byStory = new java.util.HashMap<>();
        labels.forEach(l -> byStory.put(l.story(), l));
        List<Placement> out = new ArrayList<>();
        List<AttackWindow> attacks = new ArrayList<>();
        List<AttackWindow> appReplacements = new ArrayList<>();
        for (Label label : labels) {
            if (!label.attack() || label.day() > days) {
                continue;
            }
            AttackWindow window = attackWindow(dayOne, label, duration);
            attacks.add(window);
            if (label.client().equals(PG_APP_HOSTS_LABEL)) {
                appReplacements.add(window);
                continue;
            }
            for (int c = 0; c < label.copies(); c++) {
                out.add(new Placement(label.story(), epochMicros(dayOne, label.day(), label.at()) + c * MINUTE,
                        label.client(), window.server(), window));
            }
        }
        for (int day = 1; day <= days; day++) {
            routine.lay(day, appReplacements, out);
        }
        out.sort(Comparator.comparingLong(Placement::startMicros));
        long start = epochMicros(dayOne, 1, LocalTime.MIDNIGHT);
        return new Layout(List.copyOf(out), List.copyOf(attacks), start, start + days * DAY);
    }

    private static AttackWindow attackWindow(Instant dayOne, Label label, ToLongFunction<String> duration) {
        long first = epochMicros(dayOne, label.day(), label.at());
        long length = duration.applyAsLong(label.story());
        long end = label.endSeconds() < 0 ? length : Math.min(length, (long) (label.endSeconds() * 1e6));
        List<String> clients = label.client().equals(PG_APP_HOSTS_LABEL) ? PG_APP_HOSTS : List.of(label.client());
        return new AttackWindow(label, clients, server(label.protocol()),
                first + (long) (label.startSeconds() * 1e6), first + (label.copies() - 1) * MINUTE + end);
    }

    private static void routineDay(int day, List<AttackWindow> appReplacements, List<Placement> out) {
        DayOfWeek weekday = DAY_ONE.atOffset(ZoneOffset.UTC).plusDays(day - 1L).getDayOfWeek();
        boolean weekend = weekday == DayOfWeek.SATURDAY || weekday == DayOfWeek.SUNDAY;
        for (int minute = 0; minute < 24 * 60; minute += 5) {
            long t = epochMicros(day, LocalTime.MIDNIGHT) + minute * MINUTE;
            out.add(new Placement("pg-health", t + 7_000_000L, MONITOR, PG_SERVER, null));
            out.add(new Placement("my-health", t + 37_000_000L, MONITOR, MY_SERVER, null));
        }
        out.add(new Placement("pg-nightly", epochMicros(day, LocalTime.of(2, 0)), EXPORT_HOST, PG_SERVER, null));
        if (weekday == DayOfWeek.SUNDAY) {
            out.add(new Placement("pg-weekly", epochMicros(day, LocalTime.of(4, 0)), JOB_HOST, PG_SERVER, null));
        }
        if (!weekend) {
            out.add(new Placement("pg-report", epochMicros(day, LocalTime.of(10, 0)), REPORT_HOST, PG_SERVER, null));
            out.add(new Placement("pg-report", epochMicros(day, LocalTime.of(15, 0)), REPORT_HOST, PG_SERVER, null));
        }
        long deploy = epochMicros(DEPLOY_DAY, DEPLOY_AT);
        if (day == DEPLOY_DAY) {
            out.add(new Placement("pg-deploy", deploy, CI_HOST, PG_SERVER, null));
        }
        LocalTime open = weekend ? LocalTime.of(10, 0) : LocalTime.of(8, 0);
        LocalTime close = weekend ? LocalTime.of(16, 0) : LocalTime.of(18, 0);
        for (long t = epochMicros(day, open); t < epochMicros(day, close); t += MINUTE) {
            AttackWindow incident = covering(appReplacements, t);
            for (int h = 0; h < PG_APP_HOSTS.size(); h++) {
                String story = incident != null ? incident.label().story() : t >= deploy ? "pg-app-v2" : "pg-app";
                out.add(new Placement(story, t + h * 20_000_000L, PG_APP_HOSTS.get(h), PG_SERVER, incident));
            }
            for (int h = 0; h < MY_APP_HOSTS.size(); h++) {
                out.add(new Placement("my-app", t + 10_000_000L + h * 30_000_000L, MY_APP_HOSTS.get(h), MY_SERVER,
                        null));
            }
        }
    }

    private static AttackWindow covering(List<AttackWindow> windows, long t) {
        for (AttackWindow w : windows) {
            long first = epochMicros(w.label().day(), w.label().at());
            if (t >= first && t < first + w.label().copies() * MINUTE) {
                return w;
            }
        }
        return null;
    }
}
