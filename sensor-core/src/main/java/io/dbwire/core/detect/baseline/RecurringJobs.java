package io.dbwire.core.detect.baseline;

import io.dbwire.core.detect.state.StateTree;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The heavy minutes of one (client, server) pair, remembered as <em>runs</em>: when (first and last minute), as
 * which user and application, with which statement fingerprints, and the most one minute of it moved. Heavy
 * minutes of the same user, application and fingerprints less than {@link #MERGE_GAP_MICROS} apart are one run,
 * at most {@link #MAX_SPAN_MICROS} long.
 *
 * <p>A minute is <em>routine</em> when earlier runs of the same user and application at the same time of day
 * (±1 h) covered every fingerprint of this minute and moved at least 1/{@link #MAX_GROWTH} of what it moves, on a
 * day the job's cadence allows: one day before, a week before (same weekday), the working day before a weekend
 * (Friday → Saturday, Sunday, Monday), or a month before (the last day of the previous month for a run on a
 * month's last day, the first for a run on a first). So a nightly export is known from its second night on, a
 * weekly one from its second week, a month-end report from its second month; the same job at another hour, on
 * another day of the month, from another client (another pair), as another user or reading other tables is not
 * routine. Bounded: the last {@link #MAX_RUNS} runs, {@link #MAX_FINGERPRINTS} fingerprints each, nothing older
 * than {@link #MAX_AGE_MICROS} ({@link #MONTHLY_MAX_AGE_MICROS} for runs on a month's first or last day).
 */
public final class RecurringJobs {
    static final int MAX_RUNS = 96;
    static final int MAX_FINGERPRINTS = 16;
    static final long MAX_AGE_MICROS = 8 * HourProfile.DAY_MICROS + HourProfile.HOUR_MICROS;
    /** Runs on a month's first or last day are kept until the next month's: the longest month and the tolerance. */
    static final long MONTHLY_MAX_AGE_MICROS = 32 * HourProfile.DAY_MICROS + HourProfile.HOUR_MICROS;
    /** How far the time of day of two runs of one job may drift apart. */
    static final long TIME_OF_DAY_TOLERANCE = HourProfile.HOUR_MICROS;
    /** Heavy minutes closer than this (same identity and statements) belong to one run. */
    static final long MERGE_GAP_MICROS = HourProfile.HOUR_MICROS;
    /** A run is cut after this long, so a job running all day is still remembered by time of day. */
    static final long MAX_SPAN_MICROS = 2 * HourProfile.HOUR_MICROS;
    /** A run may move up to this multiple of what the earlier run of the job moved (tables grow). */
    public static final double MAX_GROWTH = 3;

    /**
     * Heavy minutes from {@code startMicros} to {@code lastMicros} (bucket starts). Fingerprints are sorted; user
     * and application may be null (not seen); rows and bytes are the largest minute's.
     */
    public record Run(long startMicros, long lastMicros, String user, String application, List<String> fingerprints,
            long rows, long bytes) {

        boolean sameJob(Run o) {
            return Objects.equals(user, o.user) && Objects.equals(application, o.application);
        }
    }

    /** How a minute compares with the job runs remembered for its time of day. */
    public enum Verdict {
        /** No earlier run at this time of day on a day the cadence allows. */
        NO_EARLIER_RUN,
        /** An earlier run at this time, same identity and tables, similar volume: routine. */
        ROUTINE,
        /** An earlier run at this time, same identity and tables, but far more volume. */
        MORE_VOLUME,
        /** An earlier run at this time, but as another user or application. */
        OTHER_IDENTITY,
        /** An earlier run at this time with the same identity, but this minute reads other statements. */
        OTHER_STATEMENTS
    }

    /** A verdict and the earlier run it rests on (null for NO_EARLIER_RUN). */
    public record Match(Verdict verdict, Run earlier) {}

    private final Deque<Run> runs = new ArrayDeque<>();
    // the open minute's heavy statements
    private final TreeSet<String> openFingerprints = new TreeSet<>();
    private String openUser;
    private String openApplication;

    /** Notes a heavy statement of the open minute. */
    public void note(String user, String application, String fingerprint) {
        if (openFingerprints.isEmpty()) {
            openUser = user;
            openApplication = application;
        }
        if (fingerprint != null && openFingerprints.size() < MAX_FINGERPRINTS) {
            openFingerprints.add(fingerprint);
        }
    }

    /** The open minute as a run, or null when it had no heavy statement. */
    public Run open(long startMicros, long rows, long bytes) {
        if (openFingerprints.isEmpty()) {
            return null;
        }
        return new Run(startMicros, startMicros, openUser, openApplication, List.copyOf(openFingerprints), rows,
                bytes);
    }

    /**
     * Compares a minute with the runs remembered for its time of day. The runs of the same user and application in
     * that slot are taken together: a job spread over several minutes reads its tables in turn, so one minute's
     * fingerprints are compared with all of the job's, and its volume with the job's largest minute.
     */
    public Match match(Run now) {
        Run other = null;
        Run largest = null;
        TreeSet<String> known = new TreeSet<>();
        for (Run r : runs) {
            if (!sameSlot(r, now.startMicros())) {
                continue;
            }
            if (!r.sameJob(now)) {
                other = r;
                continue;
            }
            known.addAll(r.fingerprints());
            if (largest == null || volume(r) > volume(largest)) {
                largest = r;
            }
        }
        if (largest == null) {
            return new Match(other == null ? Verdict.NO_EARLIER_RUN : Verdict.OTHER_IDENTITY, other);
        }
        if (!known.containsAll(now.fingerprints())) {
            return new Match(Verdict.OTHER_STATEMENTS, largest);
        }
        if (now.rows() > MAX_GROWTH * Math.max(1, largest.rows())
                && now.bytes() > MAX_GROWTH * Math.max(1, largest.bytes())) {
            return new Match(Verdict.MORE_VOLUME, largest);
        }
        return new Match(Verdict.ROUTINE, largest);
    }

    private static double volume(Run r) {
        return r.rows() + r.bytes() / 1024.0;
    }

    /** Remembers a heavy minute: it extends the latest run of the same job, or starts a run. */
    public void remember(Run minute) {
        Run last = runs.peekLast();
        if (last != null && last.sameJob(minute) && last.fingerprints().equals(minute.fingerprints())
                && minute.startMicros() - last.lastMicros() <= MERGE_GAP_MICROS
                && minute.startMicros() - last.startMicros() < MAX_SPAN_MICROS) {
            runs.removeLast();
            runs.addLast(new Run(last.startMicros(), minute.startMicros(), last.user(), last.application(),
                    last.fingerprints(), Math.max(last.rows(), minute.rows()), Math.max(last.bytes(), minute.bytes())));
            return;
        }
        runs.addLast(minute);
        while (runs.size() > MAX_RUNS) {
            runs.removeFirst();
        }
        runs.removeIf(r -> minute.startMicros() - r.lastMicros() > maxAge(r));
    }

    /** Ends the open minute. */
    public void closeBucket() {
        openFingerprints.clear();
        openUser = null;
        openApplication = null;
    }

    public int size() {
        return runs.size();
    }

    public List<Run> runs() {
        return List.copyOf(runs);
    }

    /**
     * Whether {@code run} was at the time of day of {@code now} (±{@link #TIME_OF_DAY_TOLERANCE}) on a day the
     * job's cadence allows: one day before, a week before, or across a weekend (the days between all Saturday or
     * Sunday).
     */
    static boolean sameSlot(Run run, long now) {
        for (int days : CADENCE_DAYS) {
            if (sameTimeOfDay(run, now, days) && (days == 1 || days == 7
                    || weekendBetween(now - days * HourProfile.DAY_MICROS, now))) {
                return true;
            }
        }
        long today = Math.floorDiv(now, HourProfile.DAY_MICROS);
        MonthDay position = MonthDay.of(today);
        if (position == MonthDay.OTHER) {
            return false;
        }
        // a month before: the same position (first or last day) in the previous month, 28 to 31 days back
        for (int days = 28; days <= 31; days++) {
            if (MonthDay.of(today - days) == position && monthBefore(today - days, today)
                    && sameTimeOfDay(run, now, days)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code now}, {@code days} earlier, falls within the run's time (± the tolerance). */
    private static boolean sameTimeOfDay(Run run, long now, int days) {
        long then = now - days * HourProfile.DAY_MICROS;
        return then >= run.startMicros() - TIME_OF_DAY_TOLERANCE && then <= run.lastMicros() + TIME_OF_DAY_TOLERANCE;
    }

    private static boolean monthBefore(long thenDay, long today) {
        java.time.LocalDate then = java.time.LocalDate.ofEpochDay(thenDay);
        java.time.LocalDate now = java.time.LocalDate.ofEpochDay(today);
        return then.plusMonths(1).getMonth() == now.getMonth();
    }

    /** Where a day (UTC, counted from the epoch) lies in its month, for the monthly cadence. */
    enum MonthDay {
        FIRST, LAST, OTHER;

        static MonthDay of(long epochDay) {
            java.time.LocalDate d = java.time.LocalDate.ofEpochDay(epochDay);
            if (d.getDayOfMonth() == 1) {
                return FIRST;
            }
            return d.getDayOfMonth() == d.lengthOfMonth() ? LAST : OTHER;
        }
    }

    private static long maxAge(Run r) {
        return MonthDay.of(Math.floorDiv(r.startMicros(), HourProfile.DAY_MICROS)) == MonthDay.OTHER
                ? MAX_AGE_MICROS : MONTHLY_MAX_AGE_MICROS;
    }

    private static final int[] CADENCE_DAYS = {1, 2, 3, 7};

    private static boolean weekendBetween(long then, long now) {
        long today = Math.floorDiv(now, HourProfile.DAY_MICROS);
        for (long d = Math.floorDiv(then, HourProfile.DAY_MICROS) + 1; d < today; d++) {
            if (!weekend(d)) {
                return false;
            }
        }
        return true;
    }

    /** Saturday or Sunday (UTC) for a day counted from the epoch; 1970-01-01 was a Thursday. */
    static boolean weekend(long epochDay) {
        int dow = (int) Math.floorMod(epochDay + 3, 7); // 0 = Monday
        return dow >= 5;
    }

    public List<Object> snapshot() {
        List<Object> out = new ArrayList<>(runs.size());
        for (Run r : runs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("start", r.startMicros());
            m.put("last", r.lastMicros());
            m.put("user", r.user());
            m.put("application", r.application());
            m.put("fingerprints", new ArrayList<Object>(r.fingerprints()));
            m.put("rows", r.rows());
            m.put("bytes", r.bytes());
            out.add(m);
        }
        return out;
    }

    public void restore(Object tree) {
        runs.clear();
        for (Object o : StateTree.list(tree, "runs")) {
            Map<String, Object> m = StateTree.map(o, "run");
            List<String> fps = new ArrayList<>();
            for (Object f : StateTree.list(m.get("fingerprints"), "run.fingerprints")) {
                fps.add(StateTree.asString(f, "run.fingerprints"));
            }
            runs.addLast(new Run(StateTree.asLong(m.get("start"), "run.start"),
                    StateTree.asLong(m.get("last"), "run.last"), StateTree.asString(m.get("user"),
                    "run.user"), StateTree.asString(m.get("application"), "run.application"), List.copyOf(fps),
                    StateTree.asLong(m.get("rows"), "run.rows"), StateTree.asLong(m.get("bytes"), "run.bytes")));
        }
    }
}
