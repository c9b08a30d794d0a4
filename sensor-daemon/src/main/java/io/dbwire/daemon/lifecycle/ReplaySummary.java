package io.dbwire.daemon.lifecycle;

import io.dbwire.core.memory.MemoryReport;
import io.dbwire.core.pipeline.SensorStats;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * What a replay did, for the summary on stderr.
 *
 * @param files          capture files read
 * @param stats          the sensor's totals after finish()
 * @param sourceProblems problems of the daemon's own reading, by {@code source.reason}
 * @param elapsedNanos   wall time of reading and processing
 * @param interrupted    stopped early by SIGINT/SIGTERM: the totals cover what was read until then
 * @param nothingRead    one line per file none of whose packets got past the link layer (unsupported link type,
 *                       no IP), e.g. {@code a.pcap: nothing read: link type 147 is not supported (…)}
 */
public record ReplaySummary(int files, SensorStats stats, Map<String, Long> sourceProblems, long elapsedNanos,
        boolean interrupted, List<String> nothingRead) {
    public ReplaySummary {
        sourceProblems = Map.copyOf(sourceProblems);
        nothingRead = List.copyOf(nothingRead);
    }

    public ReplaySummary(int files, SensorStats stats, Map<String, Long> sourceProblems, long elapsedNanos) {
        this(files, stats, sourceProblems, elapsedNanos, false, List.of());
    }

    /** All problems, engine and source, sorted by name. */
    public Map<String, Long> problems() {
        Map<String, Long> all = new TreeMap<>(stats.problems());
        sourceProblems.forEach((k, v) -> all.merge(k, v, Long::sum));
        return all;
    }

    /**
     * The memory budget's high-water marks (bytes): in total and per consumer; what was shed is among the problems
     * ({@code memory.*}). Empty without a budget.
     */
    String memoryLine() {
        MemoryReport m = stats.memory();
        if (m.limitBytes() == 0) {
            return "";
        }
        StringJoiner peaks = new StringJoiner(" ");
        m.highWater().forEach((c, v) -> peaks.add(c.label() + "=" + v));
        return String.format(Locale.ROOT, "dbwire replay: memory: budget_bytes=%d peak_bytes=%d peak_by_consumer: %s%n",
                m.limitBytes(), m.highWaterBytes(), peaks);
    }

    /**
     * Lines: totals and rates, problems by reason, the memory budget's peaks; one more when the replay was
     * interrupted.
     */
    public String format() {
        double seconds = elapsedNanos / 1e9;
        long perSecond = seconds > 0 ? Math.round(stats.packets() / seconds) : 0;
        StringJoiner problems = new StringJoiner(" ");
        problems().forEach((k, v) -> problems.add(k + "=" + v));
        return String.format(Locale.ROOT,
                "dbwire replay: files=%d packets=%d bytes=%d flows=%d records=%d alerts=%d elapsed=%.3fs packets/s=%d%n"
                        + "dbwire replay: problems: %s%n",
                files, stats.packets(), stats.bytes(), stats.flows(), stats.records(), stats.alerts(), seconds,
                perSecond, problems.length() == 0 ? "none" : problems.toString())
                + memoryLine()
                + (interrupted ? "dbwire replay: interrupted: outputs end at the last whole line; files after the"
                        + " current one were not read" + System.lineSeparator() : "");
    }
}
