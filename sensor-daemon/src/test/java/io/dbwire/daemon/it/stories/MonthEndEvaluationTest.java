package io.dbwire.daemon.it.stories;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.AlertJson;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.daemon.it.stories.StoryEvaluation.Outcome;
import io.dbwire.daemon.it.stories.StoryEvaluation.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real recorded month-end report (testdata/stories/pg-monthend) on the last day of two months (MonthEndCalendar,
 * default settings): its first run is a known client suddenly reading whole tables, indistinguishable from the
 * labelled staging of the fortnight, and alerts; a month later it is a run of a monthly job and raises nothing of
 * medium or higher. The same report on an ordinary day, or from a new client on the month end, still alerts. With
 * {@code -Dstories.out=DIR} the table, alerts and expanded labels go to DIR/monthend-*.
 */
class MonthEndEvaluationTest {
    private static final Path STORIES = Path.of("..", "testdata", "stories");

    private static Result result;

    @BeforeAll
    static void evaluate(@TempDir Path tmp) throws Exception {
        String keep = System.getProperty("stories.out");
        Path dir = keep == null ? tmp : Files.createDirectories(Path.of(keep));
        Path pcap = dir.resolve("monthend-" + MonthEndCalendar.DAYS + "d.pcap");
        result = StoryEvaluation.run(STORIES, "labels-monthend.tsv", MonthEndCalendar::lay, MonthEndCalendar.DAYS,
                pcap);
        String table = EvaluationTable.markdown(result);
        System.out.println(table);
        if (keep != null) {
            StoryEvaluation.writeExpandedLabels(result.layout(), dir.resolve("monthend-labels-expanded.tsv"));
            Files.writeString(dir.resolve("monthend-evaluation.md"), table);
            Files.write(dir.resolve("monthend-alerts.jsonl"), result.alerts().stream().map(AlertJson::toJson).toList());
        } else {
            Files.delete(pcap);
        }
    }

    @Test
    void theReplayReadsEveryDayWithoutProblems() {
        assertThat(result.summary().problems()).as("replay problems").isEmpty();
        assertThat(result.summary().stats().packets()).isEqualTo(result.written().packets());
        assertThat(result.days()).hasSize(MonthEndCalendar.DAYS);
    }

    @Test
    void theSecondMonthEndIsARunOfTheMonthlyJob() {
        List<String> reportHost = alertsOf(StoryCalendar.REPORT_HOST, 33);
        assertThat(reportHost).as("the report host's alerts on 30 November").isEmpty();
    }

    /**
     * The only medium+ alert about no attack after learning is the first month end: a known client, user and tool
     * reading 60 000 rows it never read, which is what the labelled pg-staging of the fortnight does; nothing says
     * it recurs until it does.
     */
    @Test
    void onlyTheFirstMonthEndIsMediumOrHigherAboutNoAttack() {
        List<String> noisy = result.falsePositives().stream()
                .map(a -> Instant.ofEpochSecond(0, a.tsMicros() * 1000).toString().substring(0, 13) + " "
                        + a.detection() + " " + a.clientIp())
                .toList();
        assertThat(noisy).containsExactly("2026-10-31T06 data_staging " + StoryCalendar.REPORT_HOST);
    }

    @Test
    void theSameReportOnAnOrdinaryDayStillAlerts() {
        assertDetected("pg-monthend@" + StoryCalendar.REPORT_HOST);
    }

    @Test
    void theSameReportFromANewClientOnTheMonthEndStillAlerts() {
        assertDetected("pg-monthend@10.9.0.70");
    }

    private static void assertDetected(String storyAtClient) {
        List<Outcome> outcomes = result.outcomes().stream()
                .filter(o -> (o.attack().label().story() + "@" + o.attack().label().client()).equals(storyAtClient))
                .toList();
        assertThat(outcomes).hasSize(1);
        Outcome o = outcomes.get(0);
        assertThat(o.detected()).as(storyAtClient + ": highest " + o.highest() + ", also " + o.alsoRaised()).isTrue();
    }

    /** Alerts of medium or higher naming {@code client} raised on {@code day}. */
    private static List<String> alertsOf(String client, int day) {
        return result.alerts().stream()
                .filter(a -> client.equals(a.clientIp()) && a.severity().compareTo(Severity.MEDIUM) >= 0
                        && StoryEvaluation.dayOf(result.layout(), a.tsMicros(), MonthEndCalendar.DAYS) == day)
                .map(MonthEndEvaluationTest::describe).toList();
    }

    private static String describe(Alert a) {
        return Instant.ofEpochSecond(0, a.tsMicros() * 1000) + " " + a.detection() + " " + a.severity().json() + " "
                + a.summary();
    }
}
