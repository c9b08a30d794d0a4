package io.dbwire.daemon.it.stories;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.daemon.config.DaemonConfig;
import io.dbwire.daemon.config.SensorConfigMapper;
import io.dbwire.daemon.lifecycle.Replay;
import io.dbwire.daemon.lifecycle.ReplaySummary;
import io.dbwire.daemon.it.stories.StoryCalendar.AttackWindow;
import io.dbwire.daemon.it.stories.StoryCalendar.Layout;
import io.dbwire.daemon.it.stories.StoryLabels.Expectation;
import io.dbwire.daemon.it.stories.StoryLabels.Label;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The evaluation: lays the recorded stories over days (StoryCalendar), writes them into one pcap (PcapLayout),
 * replays it through the same path as {@code dbwire replay} with the built-in default settings, and matches the
 * alerts to the attack labels.
 *
 * <p>An alert is about an attack when it names the same server, names one of the attack's clients (or no client,
 * for server-wide detections such as latency_regression), and was raised between the attack's start and
 * {@code suppression} + 5 minutes after its end (a folded repeat is emitted when the suppression ends). Every
 * other alert of medium or higher raised after the learning period is a false positive of its day.
 */
final class StoryEvaluation {
    private static final long SLACK_MICROS = 5 * StoryCalendar.MINUTE;

    /** How one expected detection of one attack came out. */
    record Outcome(AttackWindow attack, Expectation expect, boolean detected, Severity highest, Long detectMicros,
            List<String> alsoRaised) {}

    /** One day of the layout: records, and unlabelled alerts after learning. */
    record Day(int day, long records, int mediumPlus, int lowOrInfo) {}

    record Result(Layout layout, PcapLayout.Written written, ReplaySummary summary, List<Alert> alerts,
            List<Outcome> outcomes, List<Day> days, List<Alert> falsePositives, long learningEndsMicros) {}

    private StoryEvaluation() {}

    static SensorConfig defaultSettings() {
        return SensorConfigMapper.toSensorConfig(DaemonConfig.defaults());
    }

    static Map<String, StoryPcap> readStories(Path dir, List<Label> labels) throws IOException {
        Map<String, StoryPcap> stories = new HashMap<>();
        for (Label label : labels) {
            stories.put(label.story(), StoryPcap.read(label.story(), dir.resolve(label.story() + ".pcap")));
        }
        return stories;
    }

    /** Lays the labelled stories over days: a calendar. */
    interface Calendar {
        Layout lay(int days, List<Label> labels, java.util.function.ToLongFunction<String> duration);
    }

    static Result run(Path storiesDir, int days, Path pcap) throws Exception {
        return run(storiesDir, "labels.tsv", StoryCalendar::lay, days, pcap);
    }

    /** The evaluation of another calendar, with its own labels file in the stories directory. */
    static Result run(Path storiesDir, String labelsFile, Calendar calendar, int days, Path pcap) throws Exception {
        List<Label> labels = StoryLabels.read(storiesDir.resolve(labelsFile));
        Map<String, StoryPcap> stories = readStories(storiesDir, labels);
        Layout layout = calendar.lay(days, labels, s -> stories.get(s).durationMicros());
        PcapLayout.Written written = new PcapLayout(stories).write(layout.placements(), pcap);
        SensorConfig config = defaultSettings();
        long[] recordsPerDay = new long[days + 1];
        long[] firstRecord = {Long.MAX_VALUE};
        List<Alert> alerts = new ArrayList<>();
        ReplaySummary summary = Replay.run(config, List.of(pcap), r -> {
            firstRecord[0] = Math.min(firstRecord[0], r.tsMicros());
            recordsPerDay[dayOf(layout, r.tsMicros(), days)]++;
        }, alerts::add);
        long learningEnds = firstRecord[0] + config.detection().learningPeriodMicros();
        long slack = config.detection().suppressionMicros() + SLACK_MICROS;
        List<Outcome> outcomes = new ArrayList<>();
        for (AttackWindow attack : layout.attacks()) {
            List<Alert> about = alerts.stream().filter(a -> isAbout(a, attack, slack)).toList();
            for (Expectation expect : attack.label().expect()) {
                outcomes.add(outcome(attack, expect, about));
            }
        }
        int[] medium = new int[days + 1];
        int[] low = new int[days + 1];
        List<Alert> falsePositives = new ArrayList<>();
        for (Alert a : alerts) {
            if (a.tsMicros() < learningEnds || layout.attacks().stream().anyMatch(w -> isAbout(a, w, slack))) {
                continue;
            }
            int day = dayOf(layout, a.tsMicros(), days);
            if (a.severity().compareTo(Severity.MEDIUM) >= 0) {
                medium[day]++;
                falsePositives.add(a);
            } else {
                low[day]++;
            }
        }
        List<Day> perDay = new ArrayList<>();
        for (int d = 1; d <= days; d++) {
            perDay.add(new Day(d, recordsPerDay[d], medium[d], low[d]));
        }
        return new Result(layout, written, summary, List.copyOf(alerts), outcomes, perDay, falsePositives,
                learningEnds);
    }

    static int dayOf(Layout layout, long micros, int days) {
        long day = (micros - layout.startMicros()) / StoryCalendar.DAY + 1;
        return (int) Math.max(1, Math.min(days, day));
    }

    static boolean isAbout(Alert a, AttackWindow attack, long slackMicros) {
        boolean server = a.server() != null && a.server().equals(attack.server());
        boolean client = a.clientIp() == null || attack.clients().contains(a.clientIp());
        return server && client && a.tsMicros() >= attack.startMicros()
                && a.tsMicros() <= attack.endMicros() + slackMicros;
    }

    private static Outcome outcome(AttackWindow attack, Expectation expect, List<Alert> about) {
        Severity highest = null;
        Long detect = null;
        TreeSet<String> also = new TreeSet<>();
        for (Alert a : about) {
            if (!a.detection().equals(expect.detection())) {
                also.add(a.detection() + " " + a.severity().json());
                continue;
            }
            if (highest == null || a.severity().compareTo(highest) > 0) {
                highest = a.severity();
            }
            if (detect == null && a.severity().compareTo(expect.minSeverity()) >= 0) {
                detect = a.tsMicros() - attack.startMicros();
            }
        }
        return new Outcome(attack, expect, detect != null, highest, detect, List.copyOf(also));
    }

    /** The expanded labels: one line per attack as laid out, for anyone matching alerts by hand. */
    static void writeExpandedLabels(Layout layout, Path file) throws IOException {
        StringBuilder out = new StringBuilder(
                "# attack_class\tstory\texpect\tclients\tserver\tstart\tend\tnote\n");
        for (AttackWindow w : layout.attacks()) {
            out.append(w.label().attackClass()).append('\t').append(w.label().story()).append('\t')
                    .append(w.label().expect()).append('\t').append(String.join(",", w.clients())).append('\t')
                    .append(w.server().ip()).append(':').append(w.server().port()).append('\t')
                    .append(java.time.Instant.ofEpochSecond(0, w.startMicros() * 1000)).append('\t')
                    .append(java.time.Instant.ofEpochSecond(0, w.endMicros() * 1000)).append('\t')
                    .append(w.label().note()).append('\n');
        }
        Files.writeString(file, out);
    }
}
