package io.dbwire.core.detect.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.TestRecords;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecurringJobsTest {
    static final long DAY = HourProfile.DAY_MICROS;
    static final long HOUR = HourProfile.HOUR_MICROS;
    /** 2026-01-02 02:00 UTC, a Friday (T0 is Thursday 2026-01-01 00:00). */
    static final long FRIDAY_2AM = TestRecords.T0 + DAY + 2 * HOUR;

    @Test
    void cadenceIsDailyWeeklyOrAcrossAWeekend() {
        RecurringJobs.Run run = new RecurringJobs.Run(FRIDAY_2AM, FRIDAY_2AM + 120_000_000L, "u", "a", List.of("f"),
                1, 1);
        assertThat(RecurringJobs.sameSlot(run, FRIDAY_2AM + DAY + 30 * 60_000_000L)).isTrue(); // Saturday, +30 min
        assertThat(RecurringJobs.sameSlot(run, FRIDAY_2AM + DAY + 3 * HOUR)).isFalse(); // Saturday, 3 h later
        assertThat(RecurringJobs.sameSlot(run, FRIDAY_2AM + 3 * DAY)).isTrue(); // Monday, after the weekend
        assertThat(RecurringJobs.sameSlot(run, FRIDAY_2AM + 5 * DAY)).isFalse(); // Wednesday: not its cadence
        assertThat(RecurringJobs.sameSlot(run, FRIDAY_2AM + 7 * DAY)).isTrue(); // next Friday
        assertThat(RecurringJobs.sameSlot(run, FRIDAY_2AM + 9 * DAY)).isFalse(); // too old
        assertThat(RecurringJobs.sameSlot(run, FRIDAY_2AM + 2 * HOUR)).isFalse(); // the same day
    }

    /** 2026-10-31 06:00 UTC, the last day of October (a Saturday). */
    static final long OCTOBER_END_6AM = java.time.Instant.parse("2026-10-31T06:00:00Z").getEpochSecond() * 1_000_000L;

    @Test
    void aMonthEndRunMakesTheNextMonthEndRoutineAndNothingElse() {
        RecurringJobs jobs = new RecurringJobs();
        jobs.note("report", "metabase", "orders-with-customers");
        jobs.remember(jobs.open(OCTOBER_END_6AM, 60_000, 3_000_000));
        jobs.closeBucket();
        // runs of other jobs in between do not push it out: it is kept for a month
        for (int d = 1; d <= 29; d++) {
            jobs.note("report", "metabase", "daily");
            jobs.remember(jobs.open(OCTOBER_END_6AM + d * DAY + 4 * HOUR, 10_000, 1_000_000));
            jobs.closeBucket();
        }
        long novemberEnd = OCTOBER_END_6AM + 30 * DAY;
        RecurringJobs.Run now = new RecurringJobs.Run(novemberEnd + 10 * 60_000_000L, novemberEnd + 10 * 60_000_000L,
                "report", "metabase", List.of("orders-with-customers"), 61_000, 3_100_000);
        assertThat(jobs.match(now).verdict()).isEqualTo(RecurringJobs.Verdict.ROUTINE);
        // the same report on the 29th, or on the 30th three hours later, is no run of it
        RecurringJobs.Run early = new RecurringJobs.Run(novemberEnd - DAY, novemberEnd - DAY, "report", "metabase",
                List.of("orders-with-customers"), 61_000, 3_100_000);
        assertThat(jobs.match(early).verdict()).isEqualTo(RecurringJobs.Verdict.NO_EARLIER_RUN);
        RecurringJobs.Run late = new RecurringJobs.Run(novemberEnd + 3 * HOUR, novemberEnd + 3 * HOUR, "report",
                "metabase", List.of("orders-with-customers"), 61_000, 3_100_000);
        assertThat(jobs.match(late).verdict()).isNotEqualTo(RecurringJobs.Verdict.ROUTINE);
        // months of different lengths: the last of February follows the last of January
        long janEnd = java.time.Instant.parse("2027-01-31T06:00:00Z").getEpochSecond() * 1_000_000L;
        RecurringJobs.Run jan = new RecurringJobs.Run(janEnd, janEnd, "u", "a", List.of("f"), 1, 1);
        assertThat(RecurringJobs.sameSlot(jan, janEnd + 28 * DAY)).isTrue(); // 2027-02-28
        assertThat(RecurringJobs.sameSlot(jan, janEnd + 27 * DAY)).isFalse(); // 2027-02-27
    }

    @Test
    void minutesOfOneJobMergeIntoARunAndTheirStatementsAreTakenTogether() {
        RecurringJobs jobs = new RecurringJobs();
        long m = 60_000_000L;
        for (int i = 0; i < 3; i++) {
            jobs.note("export", "nightly", i == 1 ? "customers" : "orders");
            jobs.remember(jobs.open(FRIDAY_2AM + i * m, 100_000, 10_000_000));
            jobs.closeBucket();
        }
        assertThat(jobs.size()).isEqualTo(3); // orders, customers, orders: fingerprints differ, runs do not merge
        jobs.note("export", "nightly", "orders");
        jobs.remember(jobs.open(FRIDAY_2AM + 3 * m, 120_000, 10_000_000));
        jobs.closeBucket();
        assertThat(jobs.size()).isEqualTo(3); // merged into the last run
        jobs.note("export", "nightly", "customers");
        RecurringJobs.Run saturday = jobs.open(FRIDAY_2AM + DAY + 5 * m, 110_000, 11_000_000);
        assertThat(jobs.match(saturday).verdict()).isEqualTo(RecurringJobs.Verdict.ROUTINE);
        RecurringJobs.Run bigger = new RecurringJobs.Run(saturday.startMicros(), saturday.startMicros(), "export",
                "nightly", List.of("orders"), 400_000, 40_000_000);
        assertThat(jobs.match(bigger).verdict()).isEqualTo(RecurringJobs.Verdict.MORE_VOLUME);
        RecurringJobs.Run other = new RecurringJobs.Run(saturday.startMicros(), saturday.startMicros(), "export",
                "nightly", List.of("orders", "users"), 100_000, 10_000_000);
        assertThat(jobs.match(other).verdict()).isEqualTo(RecurringJobs.Verdict.OTHER_STATEMENTS);
        RecurringJobs.Run someoneElse = new RecurringJobs.Run(saturday.startMicros(), saturday.startMicros(), "eve",
                "psql", List.of("orders"), 100_000, 10_000_000);
        assertThat(jobs.match(someoneElse).verdict()).isEqualTo(RecurringJobs.Verdict.OTHER_IDENTITY);
    }

    @Test
    void snapshotRoundTrips() {
        RecurringJobs jobs = new RecurringJobs();
        jobs.note("export", null, "orders");
        jobs.remember(jobs.open(FRIDAY_2AM, 100_000, 10_000_000));
        RecurringJobs back = new RecurringJobs();
        back.restore(jobs.snapshot());
        assertThat(back.runs()).isEqualTo(jobs.runs());
    }
}
