package io.dbwire.daemon.it.stories;

import io.dbwire.core.detect.alert.Alert;
import io.dbwire.daemon.it.stories.StoryCalendar.AttackWindow;
import io.dbwire.daemon.it.stories.StoryEvaluation.Day;
import io.dbwire.daemon.it.stories.StoryEvaluation.Outcome;
import io.dbwire.daemon.it.stories.StoryEvaluation.Result;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The evaluation's figures as the Markdown tables of docs/alerts.md. */
final class EvaluationTable {
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("EEE HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private EvaluationTable() {}

    static String markdown(Result r) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Layout: %d days, %d copies of %d recordings, %d packets (%.0f MB); "
                        + "replay: %d records, %d alerts; learning ends %s.%n%n",
                r.days().size(), r.layout().placements().size(),
                r.layout().placements().stream().map(StoryCalendar.Placement::story).distinct().count(),
                r.written().packets(), r.written().bytes() / 1e6, r.summary().stats().records(), r.alerts().size(),
                Instant.ofEpochSecond(0, r.learningEndsMicros() * 1000)));
        out.append("| attack class | story | day, time (UTC) | client | expected | detected | highest | time to detect"
                + " | also raised |\n| --- | --- | --- | --- | --- | --- | --- | ---: | --- |\n");
        for (Outcome o : r.outcomes()) {
            AttackWindow w = o.attack();
            out.append("| ").append(w.label().attackClass())
                    .append(" | ").append(w.label().story())
                    .append(" | ").append(w.label().day()).append(", ")
                    .append(DAY_TIME.format(Instant.ofEpochSecond(0, w.startMicros() * 1000)))
                    .append(" | ").append(w.clients().size() > 1 ? "app hosts" : w.clients().get(0))
                    .append(" | ").append(o.expect().detection()).append(" ≥ ").append(o.expect().minSeverity().json())
                    .append(" | ").append(o.detected() ? "yes" : "**no**")
                    .append(" | ").append(o.highest() == null ? "—" : o.highest().json())
                    .append(" | ").append(o.detectMicros() == null ? "—" : seconds(o.detectMicros()))
                    .append(" | ").append(o.alsoRaised().isEmpty() ? "—" : String.join(", ", o.alsoRaised()))
                    .append(" |\n");
        }
        out.append("\n| day | weekday | records | medium+ not about an attack | low/info not about an attack |\n"
                + "| ---: | --- | ---: | ---: | ---: |\n");
        for (Day d : r.days()) {
            out.append("| ").append(d.day()).append(" | ")
                    .append(Instant.ofEpochSecond(0, r.layout().startMicros() * 1000).atOffset(ZoneOffset.UTC)
                            .plusDays(d.day() - 1L).getDayOfWeek()
                            .toString().substring(0, 3).toLowerCase(Locale.ROOT))
                    .append(" | ").append(d.records()).append(" | ").append(d.mediumPlus()).append(" | ")
                    .append(d.lowOrInfo()).append(" |\n");
        }
        Map<String, Integer> byKind = new TreeMap<>();
        for (Alert a : r.falsePositives()) {
            byKind.merge(a.detection() + " " + a.severity().json() + " (client " + a.clientIp() + ")", 1,
                    Integer::sum);
        }
        if (!byKind.isEmpty()) {
            out.append("\nMedium+ alerts not about an attack: ");
            out.append(String.join("; ", byKind.entrySet().stream().map(e -> e.getKey() + " × " + e.getValue())
                    .toList())).append(".\n");
        }
        return out.toString();
    }

    private static String seconds(long micros) {
        return String.format(Locale.ROOT, "%.1f s", micros / 1e6);
    }
}
